import { NextResponse } from "next/server";
import { creditBalance } from "@/db/queries/credits";
import { apiRoute } from "@/lib/api/route";

/** The workspace's credit balance: grants minus what running and finished campaigns hold or used. */
export const GET = apiRoute(async ({ db, principal }) => {
  return NextResponse.json({ balance: await creditBalance(db, { workspaceId: principal.workspaceId }) });
});
