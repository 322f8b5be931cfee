import { NextResponse } from "next/server";
import { insertList, listLists } from "@/db/queries/lists";
import { page } from "@/core/pagination/cursor";
import { apiError } from "@/lib/api/responses";
import { apiRoute, readJson, readQuery } from "@/lib/api/route";
import { listsApi } from "@/lib/api/contracts/lists";
import { listView } from "@/lib/lists/list-view";
import { recordApiAction } from "@/lib/api/record-api-action";

export const POST = apiRoute(async ({ db, principal, request }) => {
  const body = await readJson(request, listsApi.create.body);
  if (!body.ok) return body.response;
  const list = await insertList(db, { workspaceId: principal.workspaceId, name: body.data.name, description: body.data.description ?? null });
  if (!list) return apiError(409, "conflict", `A list named "${body.data.name}" already exists`, { name: ["is taken"] });
  await recordApiAction(db, principal, { action: "list.created", targetType: "list", targetId: list.id });
  return NextResponse.json(listView(list), { status: 201 });
});

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, listsApi.list.query);
  if (!query.ok) return query.response;
  const rows = await listLists(db, { workspaceId: principal.workspaceId, limit: query.data.limit + 1, after: query.data.cursor });
  const { items, nextCursor } = page(rows, query.data.limit, (row) => ({ at: row.createdAt, id: row.id }));
  return NextResponse.json({ data: items.map(listView), nextCursor });
});
