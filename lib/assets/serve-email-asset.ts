import { Readable } from "node:stream";
import { z } from "zod";
import type { Db } from "@/db";
import { getPublicEmailAsset } from "@/db/queries/email-assets";
import type { FileStorage } from "@/lib/storage/file-storage";
import { StorageError } from "@/lib/storage/storage-error";

/** A year, and `immutable`: an asset's bytes never change under its id (a new image is a new id). */
export const ASSET_CACHE_CONTROL = "public, max-age=31536000, immutable";

const notFound = () => new Response("Not found\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

/** `If-None-Match` names this ETag (or `*`): the client's copy is current. */
function matches(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const value = tag.trim().replace(/^W\//, "");
    return value === "*" || value === etag;
  });
}

/**
 * The public image of /assets/{id}/{name}, read by mail clients and image proxies (Gmail's
 * fetches each once and caches it) with no credentials: streamed from storage with its type,
 * a strong ETag (the stored bytes' SHA-256) and a year of caching. The name is for people and
 * is not checked. `nosniff` and a sandboxing CSP keep the bytes an image: they are always one
 * of the three types we encoded, but a browser opening the URL must not be talked into more.
 */
export async function serveEmailAsset(db: Db, storage: FileStorage, params: { assetId: string; ifNoneMatch: string | null }): Promise<Response> {
  if (!z.uuid().safeParse(params.assetId).success) return notFound();
  const asset = await getPublicEmailAsset(db, { assetId: params.assetId.toLowerCase() });
  if (!asset) return notFound();
  const etag = `"${asset.sha256}"`;
  const headers = {
    "Cache-Control": ASSET_CACHE_CONTROL,
    ETag: etag,
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "cross-origin",
  };
  if (matches(params.ifNoneMatch, etag)) return new Response(null, { status: 304, headers });
  let file: Readable;
  try {
    file = await storage.openRead(asset.storageKey);
  } catch (error) {
    if (error instanceof StorageError && error.kind === "not-found") return notFound();
    throw error;
  }
  return new Response(Readable.toWeb(file) as ReadableStream<Uint8Array>, {
    status: 200,
    headers: { ...headers, "Content-Type": asset.contentType, "Content-Length": String(asset.bytes), "Content-Disposition": "inline" },
  });
}
