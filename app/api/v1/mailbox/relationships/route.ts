import { NextResponse } from "next/server";
import { listRelationships, relationshipRank } from "@/db/queries/contact-relationships";
import { encodeRelationshipCursor } from "@/core/mailbox/relationship-views";
import { relationshipsApi } from "@/lib/api/contracts/relationships";
import { apiRoute, readQuery } from "@/lib/api/route";
import { relationshipView } from "@/lib/mailbox/relationship-view";

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, relationshipsApi.list.query);
  if (!query.ok) return query.response;
  const { view, limit, cursor } = query.data;
  const rows = await listRelationships(db, { workspaceId: principal.workspaceId, view, limit: limit + 1, after: cursor });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? encodeRelationshipCursor({ rank: relationshipRank(view, last), contactId: last.contactId }) : null;
  return NextResponse.json({ data: items.map((row) => relationshipView(row, row)), nextCursor });
});
