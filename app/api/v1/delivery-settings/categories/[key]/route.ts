import { NextResponse } from "next/server";
import { updateCategoryDelivery } from "@/db/queries/category-delivery";
import { getCategory } from "@/db/queries/notification-categories";
import { deliverySettingsApi } from "@/lib/api/contracts/delivery";
import { notFound } from "@/lib/api/responses";
import { apiRoute, readJson } from "@/lib/api/route";
import { categoryDeliveryView } from "@/lib/delivery/delivery-views";

type Params = { key: string };

export const GET = apiRoute<Params>(async ({ db, principal, params }) => {
  const category = await getCategory(db, { workspaceId: principal.workspaceId, key: params.key });
  return category ? NextResponse.json(categoryDeliveryView(category)) : notFound("Category");
});

/** Fields left out keep their value; null turns the digest or the cap off. */
export const PATCH = apiRoute<Params>(async ({ db, principal, params, request }) => {
  const body = await readJson(request, deliverySettingsApi.updateCategory.body);
  if (!body.ok) return body.response;
  const category = await getCategory(db, { workspaceId: principal.workspaceId, key: params.key });
  if (!category) return notFound("Category");
  const cap = body.data.cap === undefined ? (category.capLimit && category.capPeriodSeconds ? { limit: category.capLimit, periodSeconds: category.capPeriodSeconds } : null) : body.data.cap;
  const updated = await updateCategoryDelivery(db, {
    workspaceId: principal.workspaceId,
    key: category.key,
    digestWindowSeconds: body.data.digestWindowSeconds === undefined ? category.digestWindowSeconds : body.data.digestWindowSeconds,
    capLimit: cap?.limit ?? null,
    capPeriodSeconds: cap?.periodSeconds ?? null,
  });
  return updated ? NextResponse.json(categoryDeliveryView(updated)) : notFound("Category");
});
