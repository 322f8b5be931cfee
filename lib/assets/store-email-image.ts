import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { Db } from "@/db";
import { type EmailAsset, findEmailAssetBySha256, insertEmailAsset } from "@/db/queries/email-assets";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { createStorageKey, type FileStorage } from "@/lib/storage/file-storage";
import { ImageRefusedError } from "./image-refused-error";
import { optimiseImage } from "./optimise-image";

export type StoredEmailImage = { asset: EmailAsset; created: boolean };

/** Counts a refused upload under its kind (the size check before reading counts here too). */
export function countRefusedImage(error: ImageRefusedError, context: { workspaceId: string; fileName: string }): void {
  metrics().emailAssets.inc({ result: error.kind.replace(/-/g, "_") });
  logger.info({ workspaceId: context.workspaceId, fileName: context.fileName, kind: error.kind, reason: error.message }, "assets: image refused");
}

/**
 * What POST /api/v1/assets and the canvas's drop zone both do with an uploaded image: optimise
 * it, then store it once per workspace — the same optimised bytes again answer the asset that
 * holds them (`created: false`), so dropping one picture twice costs no second file. Throws
 * ImageRefusedError for an image that cannot be taken (counted and logged here); a storage
 * failure passes through as the StorageError it is.
 */
export async function storeEmailImage(db: Db, storage: FileStorage, params: { workspaceId: string; fileName: string; bytes: Buffer }): Promise<StoredEmailImage> {
  const { workspaceId, fileName } = params;
  const startedAt = performance.now();
  let image;
  try {
    image = await optimiseImage(params.bytes);
  } catch (error) {
    if (error instanceof ImageRefusedError) countRefusedImage(error, { workspaceId, fileName });
    throw error;
  }
  const sha256 = createHash("sha256").update(image.bytes).digest("hex");
  const existing = await findEmailAssetBySha256(db, { workspaceId, sha256 });
  if (existing) {
    metrics().emailAssets.inc({ result: "duplicate" });
    logger.info({ workspaceId, assetId: existing.id, fileName }, "assets: image already stored");
    return { asset: existing, created: false };
  }

  const key = createStorageKey("assets", workspaceId);
  await storage.put(key, Readable.from([image.bytes]), { ifAbsent: true });
  const values = {
    workspaceId,
    storageKey: key,
    contentType: image.contentType,
    width: image.width,
    height: image.height,
    bytes: image.bytes.length,
    originalContentType: image.original.contentType,
    originalWidth: image.original.width,
    originalHeight: image.original.height,
    originalBytes: image.original.bytes,
    sha256,
    fileName,
  };
  const row = await insertEmailAsset(db, values);
  if (!row) {
    // The same image won a race between two uploads: keep its file, not ours.
    await storage.delete(key);
    const winner = await findEmailAssetBySha256(db, { workspaceId, sha256 });
    if (!winner) throw new Error("an email asset's unique key conflicted, yet no asset holds it");
    metrics().emailAssets.inc({ result: "duplicate" });
    return { asset: winner, created: false };
  }
  const saved = Math.max(0, image.original.bytes - row.bytes);
  const counters = metrics();
  counters.emailAssets.inc({ result: "created" });
  counters.emailAssetBytes.inc({ stage: "original" }, image.original.bytes);
  counters.emailAssetBytes.inc({ stage: "optimised" }, row.bytes);
  counters.emailAssetBytesSaved.inc(saved);
  logger.info(
    {
      workspaceId,
      assetId: row.id,
      fileName,
      originalContentType: row.originalContentType,
      contentType: row.contentType,
      originalBytes: row.originalBytes,
      bytes: row.bytes,
      originalWidth: row.originalWidth,
      width: row.width,
      height: row.height,
      ms: Math.round(performance.now() - startedAt),
    },
    "assets: image stored",
  );
  return { asset: row, created: true };
}
