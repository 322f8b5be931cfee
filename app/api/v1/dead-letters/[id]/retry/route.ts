import { NextResponse } from "next/server";
import { z } from "zod";
import { getMessage } from "@/db/queries/messages";
import { sendRetryEvents } from "@/app/_lib/send-retry-events";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { retryDeadLetters } from "@/lib/dead-letters/retry-dead-letters";

/**
 * Queues one dead letter again, at most once: a retry that finds the message no longer a dead
 * letter (another retry took it, concurrently or before) answers 409 and sends nothing.
 */
export const POST = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Message");
  const ids = { workspaceId: principal.workspaceId, messageId: params.id };
  const outcome = await retryDeadLetters(db, { workspaceId: ids.workspaceId, actor: `api_key:${principal.apiKeyId}`, messageIds: [ids.messageId], limit: 1 });
  if (outcome.retried.length === 0) {
    const message = await getMessage(db, ids);
    if (!message) return notFound("Message");
    const why = message.kind === "campaign" ? "it is a campaign message, which its campaign sends" : `it is ${message.status} now`;
    return apiError(409, "conflict", `The message is not a dead letter to retry: ${why}`);
  }
  const failed = await sendRetryEvents(db, ids.workspaceId, outcome.events);
  return failed ?? NextResponse.json({ retried: outcome.retried.length, messages: outcome.retried }, { status: 202 });
});
