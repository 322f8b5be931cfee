import { NextResponse } from "next/server";
import { getDeliverySettings, saveDeliverySettings } from "@/db/queries/delivery-settings";
import { deliverySettingsApi } from "@/lib/api/contracts/delivery";
import { apiRoute, readJson } from "@/lib/api/route";
import { deliverySettingsView } from "@/lib/delivery/delivery-views";

export const GET = apiRoute(async ({ db, principal }) => {
  return NextResponse.json(deliverySettingsView(await getDeliverySettings(db, { workspaceId: principal.workspaceId })));
});

/** Fields left out keep their value; `quietHours: null` turns quiet hours off. */
export const PATCH = apiRoute(async ({ db, principal, request }) => {
  const body = await readJson(request, deliverySettingsApi.update.body);
  if (!body.ok) return body.response;
  const current = await getDeliverySettings(db, { workspaceId: principal.workspaceId });
  const quietHours = body.data.quietHours === undefined ? { start: current.quietHoursStart, end: current.quietHoursEnd } : body.data.quietHours;
  const saved = await saveDeliverySettings(db, {
    workspaceId: principal.workspaceId,
    quietHoursStart: quietHours?.start ?? null,
    quietHoursEnd: quietHours?.end ?? null,
    timezone: body.data.timezone ?? current.timezone,
  });
  return NextResponse.json(deliverySettingsView(saved));
});
