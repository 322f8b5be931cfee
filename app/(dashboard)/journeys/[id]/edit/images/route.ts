import { NextResponse } from "next/server";
import { z } from "zod";
import { getDatabase } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { getJourney } from "@/db/queries/journeys";
import { listWorkspaces } from "@/db/queries/workspaces";
import { assetView } from "@/lib/assets/asset-view";
import { IMAGE_REFUSAL_STATUS, ImageRefusedError } from "@/lib/assets/image-refused-error";
import { readImageUpload } from "@/lib/assets/read-image-upload";
import { countRefusedImage, storeEmailImage } from "@/lib/assets/store-email-image";
import { logger } from "@/lib/observability/logger";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import { isStorageOutage } from "@/lib/storage/storage-error";
import { workspaceForRequest } from "../../../../_lib/request-workspace";

export const dynamic = "force-dynamic";

const problem = (status: number, message: string) => NextResponse.json({ message }, { status });

/**
 * The canvas's drop zone (issue 17): an image for an email step, stored exactly as
 * POST /api/v1/assets stores it (storeEmailImage). A route rather than a server action, whose
 * body is capped at 1 MB and whose upload cannot report progress. Behind the dashboard gate in
 * proxy.ts, which passes on at most 10 MB of a body: the page checks the size before sending.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const [{ id }, db] = await Promise.all([params, getDatabase().then(({ db }) => db)]);
  const workspace = workspaceForRequest(request, await listWorkspaces(db));
  if (!workspace || !z.uuid().safeParse(id).success || !(await getJourney(db, { workspaceId: workspace.id, journeyId: id }))) return problem(404, "No such journey.");
  try {
    const upload = await readImageUpload(request);
    if (!upload.file) return problem(400, Object.values(upload.problems).flat()[0] ?? "Choose an image.");
    const stored = await storeEmailImage(db, createFileStorage(), { workspaceId: workspace.id, fileName: upload.file.fileName, bytes: upload.file.bytes });
    if (stored.created) await insertAuditEntry(db, { workspaceId: workspace.id, actor: "dashboard", action: "asset.created", targetType: "asset", targetId: stored.asset.id });
    return NextResponse.json({ image: assetView(stored.asset), created: stored.created }, { status: stored.created ? 201 : 200 });
  } catch (error) {
    if (error instanceof ImageRefusedError) {
      // Refusals found while reading the body were not counted by storeEmailImage.
      if (error.kind === "too-large") countRefusedImage(error, { workspaceId: workspace.id, fileName: "" });
      return problem(IMAGE_REFUSAL_STATUS[error.kind], error.message);
    }
    if (isStorageOutage(error)) {
      logger.error({ err: error, workspaceId: workspace.id, kind: error.kind }, "dashboard: file storage refused the image");
      return problem(503, "File storage is unavailable, so the image was not stored. Try again in a few minutes.");
    }
    throw error;
  }
}
