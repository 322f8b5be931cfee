import { NextResponse } from "next/server";
import { insertCategory, listCategories } from "@/db/queries/notification-categories";
import { categoriesApi } from "@/lib/api/contracts/categories";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError } from "@/lib/api/responses";
import { apiRoute, readJson } from "@/lib/api/route";
import { categoryView } from "@/lib/preferences/category-view";

export const POST = apiRoute(async ({ db, principal, request }) => {
  const body = await readJson(request, categoriesApi.create.body);
  if (!body.ok) return body.response;
  const { key, name, description, required, urgent, channelDefaults } = body.data;
  const category = await insertCategory(db, { workspaceId: principal.workspaceId, key, name, description: description ?? null, required, urgent, channelDefaults });
  if (category === "conflict") return apiError(409, "conflict", `A category with key "${key}" already exists`, { key: ["is taken"] });
  await recordApiAction(db, principal, { action: "category.created", targetType: "category", targetId: category.id, details: { key } });
  return NextResponse.json(categoryView(category), { status: 201 });
});

export const GET = apiRoute(async ({ db, principal }) => {
  const categories = await listCategories(db, { workspaceId: principal.workspaceId });
  return NextResponse.json({ data: categories.map(categoryView) });
});
