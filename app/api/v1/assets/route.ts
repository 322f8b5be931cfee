import { NextResponse } from "next/server";
import { listEmailAssets } from "@/db/queries/email-assets";
import { page } from "@/core/pagination/cursor";
import { assetsApi } from "@/lib/api/contracts/assets";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError } from "@/lib/api/responses";
import { apiRoute, readQuery } from "@/lib/api/route";
import { assetView } from "@/lib/assets/asset-view";
import { imageRefusalResponse } from "@/lib/assets/image-refusal-response";
import { ImageRefusedError } from "@/lib/assets/image-refused-error";
import { readImageUpload } from "@/lib/assets/read-image-upload";
import { countRefusedImage, storeEmailImage } from "@/lib/assets/store-email-image";
import { createFileStorage } from "@/lib/storage/create-file-storage";

/** Upload an image (multipart `file`): optimised, stored once per workspace, served at its `url`. */
export const POST = apiRoute(async ({ db, principal, request }) => {
  const { workspaceId } = principal;
  let upload;
  try {
    upload = await readImageUpload(request);
  } catch (error) {
    if (!(error instanceof ImageRefusedError)) throw error;
    countRefusedImage(error, { workspaceId, fileName: "" });
    return imageRefusalResponse(error);
  }
  if (!upload.file || Object.keys(upload.problems).length > 0) return apiError(400, "invalid_request", "The request has invalid fields", upload.problems);
  let stored;
  try {
    stored = await storeEmailImage(db, createFileStorage(), { workspaceId, fileName: upload.file.fileName, bytes: upload.file.bytes });
  } catch (error) {
    if (error instanceof ImageRefusedError) return imageRefusalResponse(error);
    throw error;
  }
  if (stored.created) await recordApiAction(db, principal, { action: "asset.created", targetType: "asset", targetId: stored.asset.id });
  return NextResponse.json(assetView(stored.asset), { status: stored.created ? 201 : 200 });
});

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, assetsApi.list.query);
  if (!query.ok) return query.response;
  const rows = await listEmailAssets(db, { workspaceId: principal.workspaceId, limit: query.data.limit + 1, after: query.data.cursor });
  const { items, nextCursor } = page(rows, query.data.limit, (row) => ({ at: row.createdAt, id: row.id }));
  return NextResponse.json({ data: items.map(assetView), nextCursor });
});
