import { NextResponse } from "next/server";
import { countInboxMessages } from "@/db/queries/inbox-messages";
import { readQuery } from "@/lib/api/route";
import { inboxCredentialsQuery } from "@/lib/inbox/inbox-feed-request";
import { inboxRoute, preflight } from "../inbox-route";

export const dynamic = "force-dynamic";

/** The badge: unread and unseen messages outside the archive. */
export const GET = inboxRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, inboxCredentialsQuery);
  if (!query.ok) return query.response;
  return NextResponse.json(await countInboxMessages(db, principal));
});

export const OPTIONS = preflight;
