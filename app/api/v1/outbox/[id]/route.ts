import { NextResponse } from "next/server";
import { z } from "zod";
import { getOutboxMessage } from "@/db/queries/outbox-messages";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { outboxJson } from "../outbox-json";

/** One outbox entry. Another workspace's id, or no id at all, is the same 404 (invariant 5). */
export const GET = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Outbox message");
  const row = await getOutboxMessage(db, { workspaceId: principal.workspaceId, id: params.id });
  return row ? NextResponse.json(outboxJson(row)) : notFound("Outbox message");
});
