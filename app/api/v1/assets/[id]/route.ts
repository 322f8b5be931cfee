import { z } from "zod";
import { recordApiAction } from "@/lib/api/record-api-action";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { deleteEmailImage } from "@/lib/assets/delete-email-image";
import { createFileStorage } from "@/lib/storage/create-file-storage";

type Params = { id: string };

/** Deletes the image and its stored file; another workspace's id is simply not found. */
export const DELETE = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Asset");
  if (!(await deleteEmailImage(db, createFileStorage(), { workspaceId: principal.workspaceId, assetId: params.id }))) return notFound("Asset");
  await recordApiAction(db, principal, { action: "asset.deleted", targetType: "asset", targetId: params.id });
  return new Response(null, { status: 204 });
});
