import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/route";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";

export const GET = apiRoute(async ({ db, principal }) => NextResponse.json(await verifyAuditChain(db, principal.workspaceId)));
