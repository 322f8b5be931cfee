import { NextResponse } from "next/server";
import { z } from "zod";
import { getDeadLetter } from "@/db/queries/dead-letters";
import { listMessageAttempts } from "@/db/queries/message-attempts";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { deadLetterView, messageAttemptView } from "@/lib/dead-letters/dead-letter-view";

/** One dead letter with every provider attempt made for it, oldest first. */
export const GET = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Dead letter");
  const ids = { workspaceId: principal.workspaceId, messageId: params.id };
  const row = await getDeadLetter(db, ids);
  if (!row) return notFound("Dead letter");
  const attempts = await listMessageAttempts(db, ids);
  return NextResponse.json({ ...deadLetterView(row), attempts: attempts.map(messageAttemptView) });
});
