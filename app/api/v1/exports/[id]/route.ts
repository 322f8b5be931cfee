import { NextResponse } from "next/server";
import { z } from "zod";
import { getDataExport } from "@/db/queries/data-exports";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { exportView } from "@/lib/exports/export-view";

export const GET = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Export");
  const row = await getDataExport(db, { workspaceId: principal.workspaceId, exportId: params.id });
  return row ? NextResponse.json(exportView(row)) : notFound("Export");
});
