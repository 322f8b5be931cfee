import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { contacts, whatsappContacts, workspaces } from "@/db/schema";
import { rowsOf } from "./rows-of";
import { visibleContact } from "./visible-contacts";

export type WhatsAppContact = typeof whatsappContacts.$inferSelect;

/** The WhatsApp standing of the workspace's contact with this id or, failing an id, this phone; undefined when neither has a row. */
export async function findWhatsAppContact(
  db: Db,
  params: { workspaceId: string; contactId?: string | null; phone?: string | null },
): Promise<(WhatsAppContact & { phone: string | null }) | undefined> {
  const match = params.contactId ? eq(contacts.id, params.contactId) : params.phone ? eq(contacts.phone, params.phone) : undefined;
  if (!match) return undefined;
  const [row] = await db
    .select({ standing: whatsappContacts, phone: contacts.phone })
    .from(contacts)
    .innerJoin(whatsappContacts, and(eq(whatsappContacts.workspaceId, contacts.workspaceId), eq(whatsappContacts.contactId, contacts.id)))
    .where(and(eq(contacts.workspaceId, params.workspaceId), match, visibleContact));
  return row ? { ...row.standing, phone: row.phone } : undefined;
}

/**
 * Records an opt-in (a repeated one keeps the first time and source: the proof Meta asks for is
 * when consent was first given). A withdrawal is undone by a new opt-in, which is then the one kept.
 */
export async function recordWhatsAppOptIn(db: Db, params: { workspaceId: string; contactId: string; source: string; at: Date }): Promise<WhatsAppContact> {
  const [row] = await db
    .insert(whatsappContacts)
    .values({ workspaceId: params.workspaceId, contactId: params.contactId, optedInAt: params.at, optInSource: params.source, updatedAt: params.at })
    .onConflictDoUpdate({
      target: [whatsappContacts.workspaceId, whatsappContacts.contactId],
      set: {
        optedInAt: sql`coalesce(${whatsappContacts.optedInAt}, excluded.opted_in_at)`,
        optInSource: sql`case when ${whatsappContacts.optedInAt} is null then excluded.opt_in_source else ${whatsappContacts.optInSource} end`,
        optedOutAt: sql`case when ${whatsappContacts.optedInAt} is null then null else ${whatsappContacts.optedOutAt} end`,
        optOutSource: sql`case when ${whatsappContacts.optedInAt} is null then null else ${whatsappContacts.optOutSource} end`,
        updatedAt: params.at,
      },
    })
    .returning();
  return row!;
}

/** Withdraws the opt-in of one contact; a contact never opted in gets a row saying it opted out. */
export async function withdrawWhatsAppOptIn(db: Db, params: { workspaceId: string; contactId: string; source: string; at: Date }): Promise<WhatsAppContact> {
  const [row] = await db
    .insert(whatsappContacts)
    .values({ workspaceId: params.workspaceId, contactId: params.contactId, optedOutAt: params.at, optOutSource: params.source, updatedAt: params.at })
    .onConflictDoUpdate({
      target: [whatsappContacts.workspaceId, whatsappContacts.contactId],
      set: {
        optedInAt: null,
        optInSource: null,
        optedOutAt: sql`case when ${whatsappContacts.optedInAt} is null and ${whatsappContacts.optedOutAt} is not null then ${whatsappContacts.optedOutAt} else excluded.opted_out_at end`,
        optOutSource: sql`case when ${whatsappContacts.optedInAt} is null and ${whatsappContacts.optedOutAt} is not null then ${whatsappContacts.optOutSource} else excluded.opt_out_source end`,
        updatedAt: params.at,
      },
    })
    .returning();
  return row!;
}

export type WhatsAppSender = { workspaceId: string; contactId: string };

/**
 * An inbound message from `phone` opens the 24-hour window for that number's contact in every
 * workspace: the sending business number is the deployment's, shared by all of them, and the
 * window is Meta's per (business number, customer). One statement; the join through
 * `workspaces` lets each workspace's probe use contacts_workspace_phone_key. A late webhook
 * never moves the window back (greatest).
 */
export async function recordWhatsAppInbound(db: Db, params: { phone: string; at: Date }): Promise<WhatsAppSender[]> {
  const rows = await db.execute(sql`
    insert into ${whatsappContacts} (workspace_id, contact_id, last_inbound_at, updated_at)
    select c.workspace_id, c.id, ${params.at.toISOString()}::timestamptz, now()
    from ${workspaces} w
    join ${contacts} c on c.workspace_id = w.id and c.phone = ${params.phone}
    on conflict (workspace_id, contact_id) do update
      set last_inbound_at = greatest(${whatsappContacts.lastInboundAt}, excluded.last_inbound_at), updated_at = now()
    returning workspace_id, contact_id`);
  return rowsOf<{ workspace_id: string; contact_id: string }>(rows).map((row) => ({ workspaceId: row.workspace_id, contactId: row.contact_id }));
}

/** A STOP from `phone`: withdraws the opt-in of that number's contact in every workspace. */
export async function withdrawWhatsAppOptInByPhone(db: Db, params: { phone: string; source: string; at: Date }): Promise<WhatsAppSender[]> {
  const rows = await db.execute(sql`
    insert into ${whatsappContacts} (workspace_id, contact_id, opted_out_at, opt_out_source, updated_at)
    select c.workspace_id, c.id, ${params.at.toISOString()}::timestamptz, ${params.source}, now()
    from ${workspaces} w
    join ${contacts} c on c.workspace_id = w.id and c.phone = ${params.phone}
    on conflict (workspace_id, contact_id) do update
      set opted_in_at = null, opt_in_source = null, opted_out_at = excluded.opted_out_at, opt_out_source = excluded.opt_out_source, updated_at = now()
      where ${whatsappContacts.optedInAt} is not null
    returning workspace_id, contact_id`);
  return rowsOf<{ workspace_id: string; contact_id: string }>(rows).map((row) => ({ workspaceId: row.workspace_id, contactId: row.contact_id }));
}

export async function findContactIdByPhone(db: Db, params: { workspaceId: string; phone: string }): Promise<string | undefined> {
  const [row] = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, params.workspaceId), eq(contacts.phone, params.phone), visibleContact));
  return row?.id;
}
