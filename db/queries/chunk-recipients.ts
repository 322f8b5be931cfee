import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { campaignRecipients, campaigns, contacts, messages, suppressions } from "@/db/schema";
import { rowsOf } from "./rows-of";
import type { CampaignChannel } from "@/core/messages/channels";

/** A pending recipient of a chunk with the contact as it is now (null fields when erased). */
export type ChunkRecipient = {
  contactId: string;
  /** An A/B campaign's test sample: the variant it gets; null: the campaign's content (or the test's winner). */
  variant: number | null;
  /** null when the contact no longer exists (erased) in the campaign's workspace. */
  contact: {
    email: string | null;
    phone: string | null;
    firstName: string | null;
    lastName: string | null;
    locale: string | null;
    timezone: string | null;
    birthday: string | null;
    birthdayMonth: number | null;
    birthdayDay: number | null;
    attributes: Record<string, unknown>;
    status: "subscribed" | "unsubscribed";
    /** Hidden by a pending erasure: never sent to, whatever else holds. */
    erasureRequested: boolean;
  } | null;
};

/** The chunk's recipients still pending, in contact-id order (the order parts are cut in). */
export async function loadPendingChunkRecipients(db: Db, params: { workspaceId: string; campaignId: string; chunk: number }): Promise<ChunkRecipient[]> {
  const result = await db.execute<Record<string, unknown>>(sql`
    select r.contact_id, r.variant, c.id as found, c.email, c.phone, c.first_name, c.last_name, c.locale, c.timezone,
           c.birthday::text as birthday, c.birthday_month, c.birthday_day, c.attributes, c.status,
           c.erasure_requested_at is not null as hidden
    from ${campaignRecipients} r
    left join ${contacts} c on c.id = r.contact_id and c.workspace_id = ${params.workspaceId}::uuid
    where r.campaign_id = ${params.campaignId}::uuid and r.chunk = ${params.chunk} and r.status = 'pending'
    order by r.contact_id`);
  return rowsOf<Record<string, unknown>>(result).map((row) => ({
    contactId: String(row.contact_id),
    variant: row.variant === null || row.variant === undefined ? null : Number(row.variant),
    contact: row.found
      ? {
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
          status: row.status as "subscribed" | "unsubscribed",
          erasureRequested: row.hidden === true || row.hidden === "t",
        }
      : null,
  }));
}

/** Which of these address hashes the workspace has suppressed on the channel. */
export async function suppressedHashes(db: Db, params: { workspaceId: string; channel: CampaignChannel; hashes: string[] }): Promise<Set<string>> {
  if (params.hashes.length === 0) return new Set();
  const result = await db.execute<{ address_hash: string }>(sql`
    select address_hash from ${suppressions}
    where workspace_id = ${params.workspaceId}::uuid and channel = ${params.channel}
      and address_hash = any(${`{${params.hashes.join(",")}}`}::text[])`);
  return new Set(rowsOf<{ address_hash: string }>(result).map((row) => row.address_hash));
}

/** Gives pending recipients an outcome without a send (suppressed at send time, or failed before one). */
export async function settleRecipients(
  db: Db,
  params: { campaignId: string; outcomes: { contactId: string; status: "suppressed" | "failed"; reason: string }[] },
): Promise<void> {
  if (params.outcomes.length === 0) return;
  await db.execute(sql`
    update ${campaignRecipients} r set status = o.status::campaign_recipient_status, reason = o.reason, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(params.outcomes)}::jsonb) as o("contactId" uuid, status text, reason text)
    where r.campaign_id = ${params.campaignId}::uuid and r.contact_id = o."contactId" and r.status = 'pending'`);
}

export type CampaignMessageRef = { contactId: string; messageId: string; status: string; providerMessageId: string | null };

/**
 * One messages row per recipient, keyed `campaign:<campaign>:<contact>` — the at-most-once guard
 * (invariant 1): a retried chunk finds the rows it created before and reuses them.
 */
export async function ensureCampaignMessages(
  db: Db,
  params: {
    workspaceId: string;
    campaignId: string;
    channel: CampaignChannel;
    templateId: string;
    templateVersion: number;
    /** The campaign's category key, kept on its messages like a notification's. */
    category?: string | null;
    recipients: { contactId: string; address: string }[];
  },
): Promise<Map<string, CampaignMessageRef>> {
  if (params.recipients.length === 0) return new Map();
  const rows = params.recipients.map((r) => ({ contactId: r.contactId, address: r.address, key: `campaign:${params.campaignId}:${r.contactId}` }));
  // Explicit key arrays, so each statement probes an index for this chunk's rows (see recordPartOutcomes).
  const keys = `{${rows.map((r) => `"${r.key}"`).join(",")}}`;
  const contactIds = `{${rows.map((r) => r.contactId).join(",")}}`;
  const result = await db.execute<{ contact_id: string; id: string; status: string; provider_message_id: string | null }>(sql`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as i("contactId" uuid, address text, key text)
    ), created as (
      insert into ${messages} (workspace_id, idempotency_key, kind, channel, recipient, contact_id, template_id, template_version, campaign_id, category)
      select ${params.workspaceId}::uuid, key, 'campaign', ${params.channel}, address, "contactId", ${params.templateId}::uuid,
             ${params.templateVersion}, ${params.campaignId}::uuid, ${params.category ?? null}::text
      from input
      on conflict do nothing
      returning contact_id, id, status::text, provider_message_id
    )
    select contact_id, id, status, provider_message_id from created
    union all
    select m.contact_id, m.id, m.status::text, m.provider_message_id from ${messages} m
    where m.workspace_id = ${params.workspaceId}::uuid and m.idempotency_key = any(${keys}::text[])`);
  const refs = new Map<string, CampaignMessageRef>();
  for (const row of rowsOf<{ contact_id: string; id: string; status: string; provider_message_id: string | null }>(result)) {
    refs.set(row.contact_id, { contactId: row.contact_id, messageId: row.id, status: row.status, providerMessageId: row.provider_message_id });
  }
  await db.execute(sql`
    update ${campaignRecipients} r set message_id = m.id
    from ${messages} m
    where r.campaign_id = ${params.campaignId}::uuid and r.contact_id = any(${contactIds}::uuid[]) and r.message_id is null and r.status = 'pending'
      and m.workspace_id = ${params.workspaceId}::uuid and m.idempotency_key = 'campaign:' || ${params.campaignId} || ':' || r.contact_id`);
  return refs;
}

export type PartOutcome =
  /** providerMessageId is null when the provider's answer named none (a repeated call it had taken). */
  | { contactId: string; messageId: string; ok: true; providerMessageId: string | null; subject: string | null }
  | { contactId: string; messageId: string; ok: false; error: string };

/**
 * Records one provider call's outcome for its recipients and messages in one statement (one
 * transaction, one round trip), so a crash leaves either all of the part recorded or none (and
 * the retry's identical part, under the same idempotency key, is answered by the provider
 * without sending again). The same statement notes the campaign's progress for the stall
 * watchdog — at most once a second, so parts recorded together do not queue on the campaign row.
 */
export async function recordPartOutcomes(db: Db, params: { workspaceId: string; campaignId: string; provider: string; outcomes: PartOutcome[] }): Promise<void> {
  if (params.outcomes.length === 0) return;
  const rows = params.outcomes.map((o) =>
    o.ok
      ? { contactId: o.contactId, messageId: o.messageId, ok: true, providerMessageId: o.providerMessageId, subject: o.subject, error: null }
      : { contactId: o.contactId, messageId: o.messageId, ok: false, providerMessageId: null, subject: null, error: o.error },
  );
  // The key arrays make both updates probe their primary keys: joined to the JSON alone, the
  // planner (with statistics from before the campaign's rows existed) scans every message or
  // every recipient of the campaign — a cost per part that grows with the campaign.
  const messageIds = `{${params.outcomes.map((o) => o.messageId).join(",")}}`;
  const contactIds = `{${params.outcomes.map((o) => o.contactId).join(",")}}`;
  await db.execute(sql`
    with o as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as o("contactId" uuid, "messageId" uuid, ok boolean, "providerMessageId" text, subject text, error text)
    ), recorded_messages as (
      update ${messages} m set
        status = case when o.ok then 'sent' else 'failed' end::message_status,
        provider = ${params.provider},
        provider_message_id = coalesce(o."providerMessageId", m.provider_message_id),
        subject = coalesce(o.subject, m.subject),
        error = o.error,
        sent_at = case when o.ok then now() else m.sent_at end,
        failed_at = case when o.ok then m.failed_at else now() end,
        updated_at = now()
      from o where m.id = any(${messageIds}::uuid[]) and m.id = o."messageId" and m.status in ('queued', 'sending')
      returning 1
    ), recorded_recipients as (
      update ${campaignRecipients} r set
        status = case when o.ok then 'sent' else 'failed' end::campaign_recipient_status, reason = o.error, updated_at = now()
      from o where r.campaign_id = ${params.campaignId}::uuid and r.contact_id = any(${contactIds}::uuid[]) and r.contact_id = o."contactId" and r.status = 'pending'
      returning 1
    ), progress as (
      update ${campaigns} set progress_at = now()
      where id = ${params.campaignId}::uuid and workspace_id = ${params.workspaceId}::uuid
        and (progress_at is null or progress_at < now() - interval '1 second')
      returning 1
    )
    select (select count(*) from recorded_messages) as messages, (select count(*) from recorded_recipients) as recipients, (select count(*) from progress) as progress`);
}

/**
 * Claims a part for its provider call: its messages move to `sending`, but only while the
 * campaign is still sending. The campaign row is share-locked for the claim, so a cancel (an
 * UPDATE of that row) waits for a claim in progress and, once it commits, every part either
 * was claimed before it — and is counted in flight — or will never be. False when the campaign
 * stopped: the part must not go out. The messages keep the call's key (`send_key`): a retry finds
 * them claimed and repeats the same call under it (claimedCampaignMessages).
 */
export async function claimCampaignPart(db: Db, params: { workspaceId: string; campaignId: string; messageIds: string[]; sendKey: string }): Promise<boolean> {
  // One statement (its own transaction): the share lock is held until the messages are claimed.
  const result = await db.execute<{ live: boolean }>(sql`
    with live as (
      select 1 from ${campaigns} where id = ${params.campaignId}::uuid and workspace_id = ${params.workspaceId}::uuid and status = 'sending' for share
    ), claimed as (
      update ${messages} set status = 'sending', send_key = ${params.sendKey}, updated_at = now()
      where exists (select 1 from live)
        and workspace_id = ${params.workspaceId}::uuid and id = any(${`{${params.messageIds.join(",")}}`}::uuid[]) and status in ('queued', 'sending')
      returning 1
    )
    select exists (select 1 from live) as live, (select count(*) from claimed) as claimed`);
  return Boolean(rowsOf<{ live: boolean }>(result)[0]?.live);
}

export type ClaimedCampaignMessage = { contactId: string; messageId: string; recipient: string; sendKey: string | null };

/**
 * The messages of these recipients that a provider call claimed (claimCampaignPart) and whose
 * outcome is not recorded: that call may have gone through, so each goes again as the same call.
 * Probes the messages' key index, as ensureCampaignMessages does.
 */
export async function claimedCampaignMessages(
  db: Db,
  params: { workspaceId: string; campaignId: string; contactIds: string[] },
): Promise<Map<string, ClaimedCampaignMessage>> {
  if (params.contactIds.length === 0) return new Map();
  const keys = `{${params.contactIds.map((contactId) => `"campaign:${params.campaignId}:${contactId}"`).join(",")}}`;
  const result = await db.execute<{ contact_id: string; id: string; recipient: string; send_key: string | null }>(sql`
    select contact_id, id, recipient, send_key from ${messages}
    where workspace_id = ${params.workspaceId}::uuid and idempotency_key = any(${keys}::text[]) and status = 'sending'`);
  return new Map(
    rowsOf<{ contact_id: string; id: string; recipient: string; send_key: string | null }>(result).map((row) => [
      row.contact_id,
      { contactId: row.contact_id, messageId: row.id, recipient: row.recipient, sendKey: row.send_key },
    ]),
  );
}

/** A campaign's messages claimed for a provider call whose outcome is not recorded yet (optionally: claimed since `updatedAfter`). */
export async function countInFlightMessages(db: Db, params: { campaignId: string; updatedAfter?: Date }): Promise<number> {
  const result = await db.execute(sql`
    select count(*)::int as n from ${messages}
    where campaign_id = ${params.campaignId}::uuid and status = 'sending'
      ${params.updatedAfter ? sql`and updated_at > ${params.updatedAfter.toISOString()}::timestamptz` : sql``}`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}
