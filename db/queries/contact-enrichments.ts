import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { contactEnrichments, contacts } from "@/db/schema";
import { rowsOf } from "./rows-of";
import { visibleContact } from "./visible-contacts";

export type ContactEnrichment = typeof contactEnrichments.$inferSelect;
export type ContactToEnrich = { id: string; workspaceId: string; email: string | null };

/**
 * The contacts of one workspace among the given ids. Ids of another workspace's contacts (or
 * of deleted ones) simply do not come back: callers never learn they exist.
 */
export async function loadContactsToEnrich(db: Db, params: { workspaceId: string; contactIds: readonly string[] }): Promise<ContactToEnrich[]> {
  if (params.contactIds.length === 0) return [];
  return db
    .select({ id: contacts.id, workspaceId: contacts.workspaceId, email: contacts.email })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, params.workspaceId), inArray(contacts.id, [...params.contactIds]), visibleContact));
}

export type EnrichmentRow = {
  contactId: string;
  domain: string | null;
  company: string | null;
  isFreeMail: boolean;
  error: string | null;
};

/**
 * Records one batch of results in a single statement: the contact_enrichments upsert and the
 * contact attribute fill commit together, so a retry never finds half a batch applied.
 *
 * Attribute rule: `attributes.company` and `attributes.domain` are filled only where the key is
 * absent, JSON null or a blank string — a value the user (or an import) put there always wins.
 * Free-mail contacts get neither: "gmail.com" is not their company's domain. Rows whose id is
 * not a contact of `workspaceId` are dropped by the join, whatever the caller passed.
 */
export async function saveContactEnrichments(
  db: Db,
  params: { workspaceId: string; provider: string; rows: readonly EnrichmentRow[] },
): Promise<{ saved: number; filled: number }> {
  if (params.rows.length === 0) return { saved: 0, filled: 0 };
  const input = JSON.stringify(
    params.rows.map((row) => ({
      contact_id: row.contactId,
      domain: row.domain,
      company: row.company,
      is_free_mail: row.isFreeMail,
      error: row.error,
    })),
  );
  const companyMissing = sql`(i.company is not null and coalesce(btrim(c.attributes ->> 'company'), '') = '')`;
  const domainMissing = sql`(i.domain is not null and not i.is_free_mail and coalesce(btrim(c.attributes ->> 'domain'), '') = '')`;
  const result = await db.execute(sql`
    with input as (
      select i.contact_id, i.domain, i.company, coalesce(i.is_free_mail, false) as is_free_mail, i.error
      from jsonb_to_recordset(${input}::jsonb) as i(contact_id uuid, domain text, company text, is_free_mail boolean, error text)
      join contacts c on c.id = i.contact_id and c.workspace_id = ${params.workspaceId}
    ),
    saved as (
      insert into contact_enrichments (contact_id, workspace_id, domain, company, is_free_mail, provider, enriched_at, error)
      select contact_id, ${params.workspaceId}::uuid, domain, company, is_free_mail, ${params.provider}::text, now(), error from input
      on conflict (contact_id) do update set
        domain = excluded.domain, company = excluded.company, is_free_mail = excluded.is_free_mail,
        provider = excluded.provider, enriched_at = excluded.enriched_at, error = excluded.error
      returning contact_id
    ),
    -- The fill conditions read the target row itself (not a snapshot in another CTE), so a
    -- concurrent user edit is re-checked under the row lock and still wins.
    filled as (
      update contacts c set
        attributes = c.attributes
          || case when ${companyMissing} then jsonb_build_object('company', i.company) else '{}'::jsonb end
          || case when ${domainMissing} then jsonb_build_object('domain', i.domain) else '{}'::jsonb end,
        updated_at = now()
      from input i
      where c.id = i.contact_id and c.workspace_id = ${params.workspaceId} and i.error is null
        and (${companyMissing} or ${domainMissing})
      returning c.id
    )
    select (select count(*) from saved)::int as saved, (select count(*) from filled)::int as filled`);
  const [counts] = rowsOf<{ saved: number; filled: number }>(result);
  return { saved: Number(counts?.saved ?? 0), filled: Number(counts?.filled ?? 0) };
}

export async function getContactEnrichment(db: Db, params: { workspaceId: string; contactId: string }): Promise<ContactEnrichment | undefined> {
  const [row] = await db
    .select()
    .from(contactEnrichments)
    .where(and(eq(contactEnrichments.workspaceId, params.workspaceId), eq(contactEnrichments.contactId, params.contactId)));
  return row;
}

export async function listContactEnrichments(db: Db, params: { workspaceId: string; contactIds: readonly string[] }): Promise<ContactEnrichment[]> {
  if (params.contactIds.length === 0) return [];
  return db
    .select()
    .from(contactEnrichments)
    .where(and(eq(contactEnrichments.workspaceId, params.workspaceId), inArray(contactEnrichments.contactId, [...params.contactIds])));
}
