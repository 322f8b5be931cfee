import { NextResponse } from "next/server";
import { z } from "zod";
import { getArchive } from "@/db/queries/campaign-archives";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { archiveDetailView } from "@/lib/archives/archive-view";

export const GET = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Archive");
  const row = await getArchive(db, { workspaceId: principal.workspaceId, archiveId: params.id });
  return row ? NextResponse.json(archiveDetailView(row)) : notFound("Archive");
});
