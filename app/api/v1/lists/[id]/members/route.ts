import { NextResponse } from "next/server";
import { z } from "zod";
import { addListMembers, getList, listListMembers, removeListMembers } from "@/db/queries/lists";
import { page } from "@/core/pagination/cursor";
import { notFound } from "@/lib/api/responses";
import { apiRoute, readJson, readQuery } from "@/lib/api/route";
import { contactView } from "@/lib/contacts/contact-view";
import { listsApi } from "@/lib/api/contracts/lists";

type Params = { id: string };

async function findList(db: Parameters<typeof getList>[0], workspaceId: string, id: string) {
  return z.uuid().safeParse(id).success ? getList(db, { workspaceId, listId: id }) : undefined;
}

/**
 * Idempotent: members already on the list are counted, not refused. Ids that are not this
 * workspace's contacts are listed back and change nothing.
 */
export const POST = apiRoute<Params>(async ({ db, principal, params, request }) => {
  const list = await findList(db, principal.workspaceId, params.id);
  if (!list) return notFound("List");
  const body = await readJson(request, listsApi.addMembers.body);
  if (!body.ok) return body.response;
  const result = await addListMembers(db, { workspaceId: principal.workspaceId, listId: list.id, contactIds: body.data.contactIds });
  return NextResponse.json({ added: result.changed.length, alreadyMembers: result.unchanged.length, unknownContactIds: result.unknown });
});

export const DELETE = apiRoute<Params>(async ({ db, principal, params, request }) => {
  const list = await findList(db, principal.workspaceId, params.id);
  if (!list) return notFound("List");
  const body = await readJson(request, listsApi.removeMembers.body);
  if (!body.ok) return body.response;
  const result = await removeListMembers(db, { workspaceId: principal.workspaceId, listId: list.id, contactIds: body.data.contactIds });
  return NextResponse.json({ removed: result.changed.length, notMembers: result.unchanged.length, unknownContactIds: result.unknown });
});

export const GET = apiRoute<Params>(async ({ db, principal, params, request }) => {
  const list = await findList(db, principal.workspaceId, params.id);
  if (!list) return notFound("List");
  const query = readQuery(request, listsApi.members.query);
  if (!query.ok) return query.response;
  const rows = await listListMembers(db, { workspaceId: principal.workspaceId, listId: list.id, limit: query.data.limit + 1, after: query.data.cursor });
  const { items, nextCursor } = page(rows, query.data.limit, (row) => ({ at: row.addedAt, id: row.contact.id }));
  return NextResponse.json({ data: items.map((row) => ({ ...contactView(row.contact), addedAt: row.addedAt })), nextCursor });
});
