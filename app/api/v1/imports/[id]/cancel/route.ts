import { NextResponse } from "next/server";
import { z } from "zod";
import { cancelImport } from "@/db/queries/imports";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { importView } from "@/lib/imports/import-view";

type Params = { id: string };

/** Stops a queued or running import before its next chunk; rows already committed stay. */
export const POST = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Import");
  const row = await cancelImport(db, { workspaceId: principal.workspaceId, importId: params.id });
  if (!row) return notFound("Import");
  if (row.status !== "cancelled") return apiError(409, "conflict", `The import is already ${row.status}`);
  await recordApiAction(db, principal, { action: "import.cancelled", targetType: "import", targetId: row.id });
  return NextResponse.json(importView(row));
});
