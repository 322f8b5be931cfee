import { and, eq, isNotNull, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import type { Campaign } from "./campaigns";
import { getList } from "./lists";
import { getSegment } from "./segments";
import { contacts } from "@/db/schema";
import { compileSegmentFilter } from "./compile-segment-filter";
import { readStoredSegmentFilter, type SegmentFilter } from "@/core/segments/segment-filter";

/**
 * The WHERE fragment over `contacts` selecting a campaign's audience now: members of its list
 * (a list is the segment "in this list") or matches of its segment, subscribed, with an address
 * on the campaign's channel. `{ error }` when the list or segment no longer exists, or the segment's stored filter is no longer valid.
 */
export async function audienceCondition(db: Db, campaign: Pick<Campaign, "workspaceId" | "audience" | "channel">): Promise<SQL | { error: string }> {
  const { workspaceId, audience } = campaign;
  let filter: SegmentFilter;
  if ("listId" in audience) {
    if (!(await getList(db, { workspaceId, listId: audience.listId }))) return { error: `list ${audience.listId} no longer exists` };
    filter = { inList: audience.listId };
  } else {
    const segment = await getSegment(db, { workspaceId, segmentId: audience.segmentId });
    if (!segment) return { error: `segment ${audience.segmentId} no longer exists` };
    const stored = readStoredSegmentFilter(segment.filter);
    if (!stored.ok) return { error: `segment ${audience.segmentId}: ${stored.message}` };
    filter = stored.filter;
  }
  return and(
    compileSegmentFilter(filter, workspaceId),
    eq(contacts.status, "subscribed"),
    isNotNull(campaign.channel === "email" ? contacts.email : contacts.phone),
  )!;
}
