import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { storeEmailImage } from "@/lib/assets/store-email-image";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { photo } from "@/test/support/images";

const { GET } = await import("@/app/assets/[id]/[name]/route");

let database: Database;
let dataDir: string;
let asset: Awaited<ReturnType<typeof storeEmailImage>>["asset"];

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "sendline-asset-serve-"));
  vi.stubEnv("SENDLINE_DATA_DIR", dataDir);
  database = await useTestDatabase();
  const { workspace } = await createWorkspace(database.db, { name: "Served" });
  ({ asset } = await storeEmailImage(database.db, createFileStorage(), { workspaceId: workspace.id, fileName: "banner.jpg", bytes: await photo(1600, 900) }));
});
afterAll(async () => {
  await database.close();
  vi.unstubAllEnvs();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const fetchAsset = (id: string, headers: Record<string, string> = {}) =>
  GET(new Request(`http://localhost/assets/${id}/banner.jpg`, { headers }), { params: Promise.resolve({ id, name: "banner.jpg" }) });

describe("GET /assets/{id}/{name}", () => {
  it("serves the stored image to anyone, with its type, length, a strong ETag and a year of immutable caching", async () => {
    const response = await fetchAsset(asset.id);
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "content-type": "image/jpeg",
      "content-length": String(asset.bytes),
      etag: `"${asset.sha256}"`,
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.length).toBe(asset.bytes);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it("answers 304 when the client's copy is current", async () => {
    const response = await fetchAsset(asset.id, { "if-none-match": `W/"nope", "${asset.sha256}"` });
    expect(response.status).toBe(304);
    expect(response.headers.get("etag")).toBe(`"${asset.sha256}"`);
    expect((await fetchAsset(asset.id, { "if-none-match": '"other"' })).status).toBe(200);
  });

  it("answers 404 for an unknown id, a malformed one, and one whose file is gone, never cached", async () => {
    for (const id of [randomUUID(), "not-an-id", "../../etc"]) {
      const response = await fetchAsset(id);
      expect(response.status).toBe(404);
      expect(response.headers.get("cache-control")).toBe("no-store");
    }
    await createFileStorage().delete(asset.storageKey);
    expect((await fetchAsset(asset.id)).status).toBe(404);
  });
});
