import { and, asc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { engagementEvents } from "@/db/schema";
import type { EngagementEventInput } from "@/core/analytics/engagement";

export type EngagementEvent = typeof engagementEvents.$inferSelect;

/**
 * Appends events; a dedupe key the workspace already has inserts nothing. Returns what was
 * inserted (id and key), so the caller applies and counts only those: a redelivered webhook or a
 * replayed batch changes no counter. The unique index makes a concurrent writer of the same key
 * wait for this transaction and then find it taken.
 */
export async function appendEngagementEvents(db: Db, rows: EngagementEventInput[]): Promise<{ id: number; dedupeKey: string }[]> {
  if (rows.length === 0) return [];
  return db
    .insert(engagementEvents)
    .values(rows)
    .onConflictDoNothing({ target: [engagementEvents.workspaceId, engagementEvents.dedupeKey] })
    .returning({ id: engagementEvents.id, dedupeKey: engagementEvents.dedupeKey });
}

/** Marks the events that made their message opened or clicked by a person for the first time. */
export async function markFirstEngagement(db: Db, params: { firstOpen: number[]; firstClick: number[] }): Promise<void> {
  if (params.firstOpen.length > 0) {
    await db.execute(sql`update engagement_events set first_open = true where id = any(${`{${params.firstOpen.join(",")}}`}::bigint[])`);
  }
  if (params.firstClick.length > 0) {
    await db.execute(sql`update engagement_events set first_click = true where id = any(${`{${params.firstClick.join(",")}}`}::bigint[])`);
  }
}

/**
 * Each event's contribution to the counters (ENGAGEMENT_COUNTERS), as columns of the CTE `d`.
 * An in-app "seen" is that channel's open. Machine opens and clicks count only as machine_*.
 */
const DELTAS = sql`
  select e.*,
    (e.type = 'sent')::int as d_sent,
    (e.type = 'delivered')::int as d_delivered,
    (e.type in ('opened', 'seen') and e.machine is null)::int as d_opened,
    e.first_open::int as d_unique_opened,
    (e.type in ('opened', 'seen') and e.machine is not null)::int as d_machine_opened,
    (e.type = 'clicked' and e.machine is null)::int as d_clicked,
    e.first_click::int as d_unique_clicked,
    (e.type = 'clicked' and e.machine is not null)::int as d_machine_clicked,
    (e.type = 'bounced')::int as d_bounced,
    (e.type = 'bounced' and e.bounce_kind = 'hard')::int as d_hard_bounced,
    (e.type = 'complained')::int as d_complained,
    (e.type = 'unsubscribed')::int as d_unsubscribed`;

const SUMS = sql.raw(
  ["sent", "delivered", "opened", "unique_opened", "machine_opened", "clicked", "unique_clicked", "machine_clicked", "bounced", "hard_bounced", "complained", "unsubscribed"]
    .map((column) => `sum(d_${column})::int as ${column}`)
    .join(", "),
);

const COUNTER_COLUMNS = ["sent", "delivered", "opened", "unique_opened", "machine_opened", "clicked", "unique_clicked", "machine_clicked", "bounced", "hard_bounced", "complained", "unsubscribed"];
const COLUMNS = sql.raw(COUNTER_COLUMNS.join(", "));
const ADD_EXCLUDED = (table: string) => sql.raw(COUNTER_COLUMNS.map((column) => `${column} = ${table}.${column} + excluded.${column}`).join(", "));

/**
 * Adds the given (just appended) events to every rollup in one statement: campaign × hour,
 * workspace × day × channel, link, recipient domain, and each contact's engagement score.
 * Call it once per event, in the transaction that appended it; rows group by key first, so one
 * statement never updates a rollup row twice.
 */
export async function rollUpEngagementEvents(db: Db, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`
    with d as (${DELTAS} from engagement_events e where e.id = any(${`{${ids.join(",")}}`}::bigint[])),
    campaign_hours as (
      insert into campaign_stats_hourly (workspace_id, campaign_id, hour, ${COLUMNS})
      select workspace_id, campaign_id, date_trunc('hour', occurred_at, 'UTC'), ${SUMS}
      from d where campaign_id is not null
      group by workspace_id, campaign_id, date_trunc('hour', occurred_at, 'UTC')
      on conflict (campaign_id, hour) do update set ${ADD_EXCLUDED("campaign_stats_hourly")}
      returning 1
    ),
    workspace_days as (
      insert into workspace_stats_daily (workspace_id, day, channel, ${COLUMNS})
      select workspace_id, (occurred_at at time zone 'UTC')::date, channel, ${SUMS}
      from d group by workspace_id, (occurred_at at time zone 'UTC')::date, channel
      on conflict (workspace_id, day, channel) do update set ${ADD_EXCLUDED("workspace_stats_daily")}
      returning 1
    ),
    links as (
      insert into link_stats (workspace_id, campaign_id, url, clicked, unique_clicked, machine_clicked, last_clicked_at)
      select workspace_id, campaign_id, url, sum(d_clicked)::int, sum(d_unique_clicked)::int, sum(d_machine_clicked)::int,
        max(occurred_at) filter (where d_clicked = 1)
      from d where type = 'clicked' and url is not null
      group by workspace_id, campaign_id, url
      on conflict (workspace_id, campaign_id, url) do update set
        clicked = link_stats.clicked + excluded.clicked,
        unique_clicked = link_stats.unique_clicked + excluded.unique_clicked,
        machine_clicked = link_stats.machine_clicked + excluded.machine_clicked,
        last_clicked_at = greatest(link_stats.last_clicked_at, excluded.last_clicked_at)
      returning 1
    ),
    domains as (
      insert into domain_stats (workspace_id, campaign_id, domain, ${COLUMNS})
      select workspace_id, campaign_id, recipient_domain, ${SUMS}
      from d where recipient_domain is not null
      group by workspace_id, campaign_id, recipient_domain
      on conflict (workspace_id, campaign_id, domain) do update set ${ADD_EXCLUDED("domain_stats")}
      returning 1
    ),
    engaged as (
      select d.*, max(occurred_at) over (partition by contact_id) as last_at
      from d where contact_id is not null and (d_opened = 1 or d_clicked = 1)
    ),
    people as (
      select contact_id, workspace_id, max(last_at) as last_at,
        max(occurred_at) filter (where d_opened = 1) as last_opened_at,
        max(occurred_at) filter (where d_clicked = 1) as last_clicked_at,
        sum(d_opened)::int as opens, sum(d_clicked)::int as clicks,
        -- Each event's points, decayed to the batch's latest moment for the contact.
        sum((d_opened + 3 * d_clicked) * power(0.5, extract(epoch from (last_at - occurred_at)) / (30 * 86400.0)))::float8 as points
      from engaged group by contact_id, workspace_id
    ),
    scores as (
      insert into contact_engagement (contact_id, workspace_id, score, scored_at, last_opened_at, last_clicked_at, last_engaged_at, opens, clicks)
      select p.contact_id, p.workspace_id, p.points, p.last_at, p.last_opened_at, p.last_clicked_at, p.last_at, p.opens, p.clicks
      from people p join contacts c on c.id = p.contact_id
      on conflict (contact_id) do update set
        -- The stored score decays to the later of the two moments, then the new points are added
        -- (core/analytics/engagement-score.ts: half-life 30 days; weights open 1, click 3).
        score = contact_engagement.score * power(0.5, greatest(0, extract(epoch from (excluded.scored_at - contact_engagement.scored_at))) / (30 * 86400.0))
          + excluded.score,
        scored_at = greatest(contact_engagement.scored_at, excluded.scored_at),
        last_opened_at = greatest(contact_engagement.last_opened_at, excluded.last_opened_at),
        last_clicked_at = greatest(contact_engagement.last_clicked_at, excluded.last_clicked_at),
        last_engaged_at = greatest(contact_engagement.last_engaged_at, excluded.last_engaged_at),
        opens = contact_engagement.opens + excluded.opens,
        clicks = contact_engagement.clicks + excluded.clicks
      returning 1
    )
    select (select count(*) from campaign_hours) + (select count(*) from workspace_days) + (select count(*) from links)
      + (select count(*) from domains) + (select count(*) from scores) as touched`);
}

/** A message's events, oldest first (what its timeline shows). */
export async function listMessageEngagement(db: Db, params: { workspaceId: string; messageId: string }): Promise<EngagementEvent[]> {
  return db
    .select()
    .from(engagementEvents)
    .where(and(eq(engagementEvents.workspaceId, params.workspaceId), eq(engagementEvents.messageId, params.messageId)))
    .orderBy(asc(engagementEvents.occurredAt), asc(engagementEvents.id));
}

/**
 * Clicks already stored for these messages between `from` and `to`: what the writer needs to tell
 * a scanner's burst (every link within a second) from a person, when the burst straddles batches.
 * Served by engagement_events_message_idx.
 */
export async function listClicksBetween(
  db: Db,
  params: { messageIds: string[]; from: Date; to: Date },
): Promise<{ messageId: string; occurredAt: Date; dedupeKey: string }[]> {
  if (params.messageIds.length === 0) return [];
  const rows = await db
    .select({ messageId: engagementEvents.messageId, occurredAt: engagementEvents.occurredAt, dedupeKey: engagementEvents.dedupeKey })
    .from(engagementEvents)
    .where(
      and(
        inArray(engagementEvents.messageId, params.messageIds),
        eq(engagementEvents.type, "clicked"),
        gte(engagementEvents.occurredAt, params.from),
        lte(engagementEvents.occurredAt, params.to),
      ),
    );
  return rows.map((row) => ({ ...row, messageId: row.messageId! }));
}
