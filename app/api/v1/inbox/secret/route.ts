import { NextResponse } from "next/server";
import { rotateInboxSecret } from "@/db/queries/inbox-settings";
import { apiRoute } from "@/lib/api/route";
import { recordApiAction } from "@/lib/api/record-api-action";
import { inboxSecretOf } from "@/lib/inbox/inbox-secret";
import { INBOX_TOKEN_ALGORITHM, newInboxSecret } from "@/lib/inbox/inbox-token";

const view = (settings: { secret: string; createdAt: Date; rotatedAt: Date | null }) => ({
  secret: settings.secret,
  tokenAlgorithm: INBOX_TOKEN_ALGORITHM,
  createdAt: settings.createdAt.toISOString(),
  rotatedAt: settings.rotatedAt?.toISOString() ?? null,
});

export const GET = apiRoute(async ({ db, principal }) => {
  return NextResponse.json(view(await inboxSecretOf(db, principal.workspaceId)));
});

export const POST = apiRoute(async ({ db, principal }) => {
  const row = await rotateInboxSecret(db, { workspaceId: principal.workspaceId, newSecret: newInboxSecret() });
  await recordApiAction(db, principal, { action: "inbox.secret_rotated", targetType: "workspace", targetId: principal.workspaceId });
  return NextResponse.json(view({ secret: row.signingSecret, createdAt: row.createdAt, rotatedAt: row.rotatedAt }));
});
