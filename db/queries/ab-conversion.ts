import { type SQL, sql } from "drizzle-orm";
import type { AbMetric } from "@/core/ab-tests/ab-test";
import { contactEvents, engagementEvents } from "@/db/schema";

/**
 * Whether one A/B test send converted, as an SQL condition over the caller's row — the one rule
 * campaigns (campaign-ab-tests.ts) and journey send steps (journey-ab-tests.ts) count by: a human
 * open or click of the message (engagement events with no machine reason: privacy proxies and
 * scanners are not people), or the `goal` contact event of the contact from `since` on. `until`
 * bounds it (a journey's window after each send); campaigns leave it open.
 */
export function abConversion(params: { workspaceId: string; metric: AbMetric; goalEvent?: string | null; messageId: SQL; contactId: SQL; since: SQL; until?: SQL }): SQL {
  if (params.metric === "goal") {
    return sql`exists (select 1 from ${contactEvents} ce where ce.workspace_id = ${params.workspaceId}::uuid and ce.contact_id = ${params.contactId}
      and ce.name = ${params.goalEvent ?? ""} and ce.occurred_at >= ${params.since}${params.until ? sql` and ce.occurred_at < ${params.until}` : sql``})`;
  }
  return sql`exists (select 1 from ${engagementEvents} e where e.message_id = ${params.messageId} and e.workspace_id = ${params.workspaceId}::uuid
    and e.type = ${params.metric === "opens" ? "opened" : "clicked"} and e.machine is null${params.until ? sql` and e.occurred_at < ${params.until}` : sql``})`;
}
