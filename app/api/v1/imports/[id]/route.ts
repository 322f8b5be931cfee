import { NextResponse } from "next/server";
import { z } from "zod";
import { getImport } from "@/db/queries/imports";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { importView } from "@/lib/imports/import-view";

type Params = { id: string };

// A malformed id is simply not found.
const isImportId = (id: string) => z.uuid().safeParse(id).success;

export const GET = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!isImportId(params.id)) return notFound("Import");
  const row = await getImport(db, { workspaceId: principal.workspaceId, importId: params.id });
  return row ? NextResponse.json(importView(row)) : notFound("Import");
});
