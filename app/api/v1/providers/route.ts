import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/route";
import { listProviderHealth } from "@/lib/providers/provider-health";

/** The channels' providers in order, each with its circuit breaker (shared by every workspace: providers are per deployment). */
export const GET = apiRoute(async ({ db }) => {
  return NextResponse.json({ data: await listProviderHealth(db) });
});
