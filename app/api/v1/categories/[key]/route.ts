import { NextResponse } from "next/server";
import { deleteCategory, getCategory, updateCategory } from "@/db/queries/notification-categories";
import { CATEGORY_KEY_PATTERN } from "@/core/preferences/category-key";
import { categoriesApi } from "@/lib/api/contracts/categories";
import { recordApiAction } from "@/lib/api/record-api-action";
import { notFound } from "@/lib/api/responses";
import { apiRoute, readJson } from "@/lib/api/route";
import { categoryView } from "@/lib/preferences/category-view";

type Params = { key: string };

// A key that could never exist is simply not found, like a malformed id.
const isKey = (key: string) => CATEGORY_KEY_PATTERN.test(key);

export const GET = apiRoute<Params>(async ({ db, principal, params }) => {
  const category = isKey(params.key) ? await getCategory(db, { workspaceId: principal.workspaceId, key: params.key }) : undefined;
  return category ? NextResponse.json(categoryView(category)) : notFound("Category");
});

export const PATCH = apiRoute<Params>(async ({ db, principal, params, request }) => {
  if (!isKey(params.key)) return notFound("Category");
  const body = await readJson(request, categoriesApi.update.body);
  if (!body.ok) return body.response;
  const category = await updateCategory(db, { workspaceId: principal.workspaceId, key: params.key, changes: body.data });
  if (!category) return notFound("Category");
  await recordApiAction(db, principal, { action: "category.updated", targetType: "category", targetId: category.id, details: { key: category.key, changes: body.data } });
  return NextResponse.json(categoryView(category));
});

/** Deletes the category and every contact's choices for it (a cascade); messages keep the key. */
export const DELETE = apiRoute<Params>(async ({ db, principal, params }) => {
  const category = isKey(params.key) ? await getCategory(db, { workspaceId: principal.workspaceId, key: params.key }) : undefined;
  if (!category || !(await deleteCategory(db, { workspaceId: principal.workspaceId, key: category.key }))) return notFound("Category");
  await recordApiAction(db, principal, { action: "category.deleted", targetType: "category", targetId: category.id, details: { key: category.key } });
  return new Response(null, { status: 204 });
});
