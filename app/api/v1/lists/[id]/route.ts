import { NextResponse } from "next/server";
import { z } from "zod";
import { countListMembers, deleteList, getList, updateList } from "@/db/queries/lists";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute, readJson } from "@/lib/api/route";
import { listsApi } from "@/lib/api/contracts/lists";
import { listView } from "@/lib/lists/list-view";
import { recordApiAction } from "@/lib/api/record-api-action";

type Params = { id: string };

const isId = (id: string) => z.uuid().safeParse(id).success;

export const GET = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!isId(params.id)) return notFound("List");
  const list = await getList(db, { workspaceId: principal.workspaceId, listId: params.id });
  if (!list) return notFound("List");
  const memberCount = await countListMembers(db, { workspaceId: principal.workspaceId, listId: list.id });
  return NextResponse.json({ ...listView(list), memberCount });
});

export const PATCH = apiRoute<Params>(async ({ db, principal, params, request }) => {
  if (!isId(params.id)) return notFound("List");
  const body = await readJson(request, listsApi.update.body);
  if (!body.ok) return body.response;
  const list = await updateList(db, { workspaceId: principal.workspaceId, listId: params.id, ...body.data });
  if (list === "conflict") return apiError(409, "conflict", `A list named "${body.data.name}" already exists`, { name: ["is taken"] });
  return list ? NextResponse.json(listView(list)) : notFound("List");
});

/** Deletes the list and its memberships; the contacts stay. */
export const DELETE = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!isId(params.id) || !(await deleteList(db, { workspaceId: principal.workspaceId, listId: params.id }))) return notFound("List");
  await recordApiAction(db, principal, { action: "list.deleted", targetType: "list", targetId: params.id });
  return new Response(null, { status: 204 });
});
