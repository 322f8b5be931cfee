import { NextResponse } from "next/server";
import { countInboxMessages } from "@/db/queries/inbox-messages";
import { inngest } from "@/inngest/client";
import { inboxMessageSeen } from "@/inngest/events";
import { apiError } from "@/lib/api/responses";
import { readJson, readQuery } from "@/lib/api/route";
import { applyInboxAction } from "@/lib/inbox/apply-inbox-action";
import { inboxActionBody, inboxCredentialsQuery } from "@/lib/inbox/inbox-feed-request";
import { planInboxAction } from "@/lib/inbox/plan-inbox-action";
import { logger } from "@/lib/observability/logger";
import { inboxRoute, preflight } from "../inbox-route";

export const dynamic = "force-dynamic";

/** Inngest takes at most 5,000 events per send; a "seen all" may announce more. */
const EVENTS_PER_SEND = 1_000;

/**
 * Marks messages seen, read, unread, archived or unarchived: `{ action, messageIds? }`, all of
 * the contact's messages without ids. A message seen for the first time is announced as
 * `inbox/message.seen` before its state is written (planInboxAction), with an id derived from
 * the message, so a retried call never announces it twice.
 */
export const POST = inboxRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, inboxCredentialsQuery);
  if (!query.ok) return query.response;
  const body = await readJson(request, inboxActionBody);
  if (!body.ok) return body.response;
  const { action, messageIds } = body.data;
  const plan = await planInboxAction(db, principal, { action, ids: messageIds });
  try {
    for (let start = 0; start < plan.seen.length; start += EVENTS_PER_SEND) {
      await inngest.send(plan.seen.slice(start, start + EVENTS_PER_SEND).map((seen) => inboxMessageSeen.create(seen, { id: `inbox-seen-${seen.messageId}` })));
    }
  } catch (error) {
    logger.error({ err: error, workspaceId: principal.workspaceId, contactId: principal.contactId }, "inbox: could not announce seen messages");
    return apiError(503, "queue_unavailable", "Nothing was changed: the seen messages could not be announced; retry the same request");
  }
  const changed = await applyInboxAction(db, principal, { action, ids: plan.ids });
  return NextResponse.json({ changed: changed.length, data: changed, counts: await countInboxMessages(db, principal) });
});

export const OPTIONS = preflight;
