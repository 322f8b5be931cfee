import { NextResponse } from "next/server";

export const dynamic = "force-dynamic";

/**
 * Liveness: the process answers HTTP. Touches neither the database nor Inngest, so an
 * orchestrator never restarts a healthy process because a dependency is down; readiness
 * (whether to send it traffic) is GET /api/health.
 */
export function GET(): Response {
  return NextResponse.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
