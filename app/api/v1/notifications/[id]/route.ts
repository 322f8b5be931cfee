import { NextResponse } from "next/server";
import { z } from "zod";
import { getMessage } from "@/db/queries/messages";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { notificationView } from "@/lib/notifications/notification-view";

export const GET = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  // A malformed id is simply not found: no hint about what ids look like elsewhere.
  if (!z.uuid().safeParse(params.id).success) return notFound("Notification");
  const message = await getMessage(db, { workspaceId: principal.workspaceId, messageId: params.id });
  if (!message || message.kind !== "transactional") return notFound("Notification");
  return NextResponse.json(notificationView(message));
});
