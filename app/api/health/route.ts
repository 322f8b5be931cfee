import { NextResponse } from "next/server";
import { checkHealth } from "./check-health";

export const dynamic = "force-dynamic";

/** Unauthenticated on purpose (load balancers, uptime checks): reports state, never secrets. */
export async function GET(): Promise<Response> {
  const { httpStatus, report } = await checkHealth();
  return NextResponse.json(report, { status: httpStatus, headers: { "Cache-Control": "no-store" } });
}
