import { NextResponse } from "next/server";
import { z } from "zod";
import { getMessage } from "@/db/queries/messages";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { messageView } from "@/lib/messages/message-view";

/** One message, transactional or campaign; another workspace's id is the same 404 as no id (invariant 5). */
export const GET = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Message");
  const message = await getMessage(db, { workspaceId: principal.workspaceId, messageId: params.id });
  return message ? NextResponse.json(messageView(message)) : notFound("Message");
});
