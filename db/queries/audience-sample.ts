import { type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { contacts } from "@/db/schema";
import type { Contact } from "./contacts";
import { rowsOf } from "./rows-of";

/** How far into an audience (in id order) the sample looks: bounded, so a million-contact audience samples as fast as a small one. */
export const AUDIENCE_SAMPLE_SCAN_ROWS = 10_000;
/** Attribute keys the sample looks for a contact without; more keys than this are checked only against the first contacts. */
export const AUDIENCE_SAMPLE_MAX_KEYS = 10;

export type SampledContact = Pick<Contact, "id" | "email" | "phone" | "firstName" | "lastName" | "locale" | "timezone" | "birthday" | "birthdayMonth" | "birthdayDay" | "attributes">;

const COLUMNS = sql`id, email, phone, first_name, last_name, locale, timezone, birthday::text as birthday, birthday_month, birthday_day, attributes`;

/**
 * A few real contacts of an audience to render a campaign's template against before anything is
 * sent: the first two, the one with the most empty fields, and for each attribute key the
 * template reads, one contact that lacks it — the recipients a template most often breaks on.
 * `audience` is a WHERE fragment over `contacts` (audienceCondition); the sample is drawn from
 * the first AUDIENCE_SAMPLE_SCAN_ROWS contacts of the audience.
 */
export async function sampleAudience(db: Db, params: { audience: SQL; attributeKeys: readonly string[] }): Promise<SampledContact[]> {
  const emptyFields = sql`(first_name is null)::int + (last_name is null)::int + (email is null)::int + (phone is null)::int
    + (locale is null)::int + (timezone is null)::int + (birthday_month is null)::int + (attributes = '{}'::jsonb)::int`;
  const parts = [
    sql`(select ${COLUMNS} from scanned order by id limit 2)`,
    sql`(select ${COLUMNS} from scanned order by ${emptyFields} desc, id limit 1)`,
    ...params.attributeKeys
      .slice(0, AUDIENCE_SAMPLE_MAX_KEYS)
      .map((key) => sql`(select ${COLUMNS} from scanned where (attributes -> ${key}::text) is null order by id limit 1)`),
  ];
  // One bounded scan of the audience (a CTE used more than once is computed once), sampled several ways.
  const result = await db.execute(sql`
    with scanned as (select * from ${contacts} where ${params.audience} order by ${contacts.id} limit ${AUDIENCE_SAMPLE_SCAN_ROWS})
    ${sql.join(parts, sql` union `)} order by id`);
  return rowsOf<Record<string, unknown>>(result).map((row) => ({
    id: String(row.id),
    email: (row.email as string | null) ?? null,
    phone: (row.phone as string | null) ?? null,
    firstName: (row.first_name as string | null) ?? null,
    lastName: (row.last_name as string | null) ?? null,
    locale: (row.locale as string | null) ?? null,
    timezone: (row.timezone as string | null) ?? null,
    birthday: (row.birthday as string | null) ?? null,
    birthdayMonth: row.birthday_month === null || row.birthday_month === undefined ? null : Number(row.birthday_month),
    birthdayDay: row.birthday_day === null || row.birthday_day === undefined ? null : Number(row.birthday_day),
    attributes: (typeof row.attributes === "string" ? JSON.parse(row.attributes) : row.attributes) as Record<string, unknown>,
  }));
}
