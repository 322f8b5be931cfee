import { NextResponse } from "next/server";
import { sendRetryEvents } from "@/app/_lib/send-retry-events";
import { apiRoute, readJson } from "@/lib/api/route";
import { deadLettersApi } from "@/lib/api/contracts/dead-letters";
import { deadLetterFilter } from "@/lib/dead-letters/dead-letter-request";
import { retryDeadLetters } from "@/lib/dead-letters/retry-dead-letters";

/** Queues again up to `limit` transactional dead letters matching the list's filters, oldest first. */
export const POST = apiRoute(async ({ db, principal, request }) => {
  const body = await readJson(request, deadLettersApi.retryMatching.body);
  if (!body.ok) return body.response;
  const { limit, ...filter } = body.data;
  const outcome = await retryDeadLetters(db, { workspaceId: principal.workspaceId, actor: `api_key:${principal.apiKeyId}`, filter: deadLetterFilter(filter), limit });
  const failed = await sendRetryEvents(db, principal.workspaceId, outcome.events);
  return failed ?? NextResponse.json({ retried: outcome.retried.length, messages: outcome.retried }, { status: 202 });
});
