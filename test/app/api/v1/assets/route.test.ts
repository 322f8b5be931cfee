import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { EMAIL_IMAGE_MAX_INPUT_BYTES } from "@/core/assets/email-image-rules";
import { metrics } from "@/lib/observability/metrics";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { photo, pixelBomb } from "@/test/support/images";
import { collectLogLines } from "@/test/support/log-lines";
import { sampleSum } from "@/test/support/prometheus-text";

const routes = await import("@/app/api/v1/assets/route");
const one = await import("@/app/api/v1/assets/[id]/route");

let database: Database;
let dataDir: string;
let apiKey: string;
let otherKey: string;
let workspaceId: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "sendline-assets-"));
  vi.stubEnv("SENDLINE_DATA_DIR", dataDir);
  vi.stubEnv("PUBLIC_URL", "https://mail.example.test");
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Images" }));
  ({ apiKey: otherKey } = await createWorkspace(database.db, { name: "Other" }));
});
afterAll(async () => {
  await database.close();
  vi.unstubAllEnvs();
  await fs.rm(dataDir, { recursive: true, force: true });
});

type Part = { bytes: Uint8Array; name: string; type?: string } | string;

/** POSTs a real multipart body built by FormData, as a browser or curl -F would. */
async function upload(parts: Record<string, Part>, options: { key?: string | null; headers?: Record<string, string> } = {}) {
  const form = new FormData();
  for (const [name, part] of Object.entries(parts)) {
    if (typeof part === "string") form.append(name, part);
    else form.append(name, new Blob([part.bytes as Uint8Array<ArrayBuffer>], { type: part.type ?? "application/octet-stream" }), part.name);
  }
  const key = options.key === undefined ? apiKey : options.key;
  const request = new Request("http://localhost/api/v1/assets", { method: "POST", headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...options.headers }, body: form });
  const response = await routes.POST(request, { params: Promise.resolve({}) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as any };
}

const list = (query = "", key = apiKey) => callRoute(routes.GET, { path: `/api/v1/assets${query}`, apiKey: key });
const remove = (id: string, key = apiKey) => callRoute(one.DELETE, { method: "DELETE", path: `/api/v1/assets/${id}`, apiKey: key, params: { id } });
const scrape = async (name: string, labels: Record<string, string> = {}) => sampleSum(await metrics().registry.metrics(), name, labels);

describe("POST /api/v1/assets", () => {
  it("optimises a camera photo to 1200 px and answers 201 with its dimensions, sizes and public URL; logs and counts it", async () => {
    const input = await photo(3000, 2000);
    const [createdBefore, savedBefore] = [await scrape("sendline_email_assets_total", { result: "created" }), await scrape("sendline_email_asset_bytes_saved_total")];
    const logs = collectLogLines();
    const created = await upload({ file: { bytes: input, name: "Summer Sale.JPG", type: "image/jpeg" } });
    logs.stop();
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      fileName: "Summer Sale.JPG",
      contentType: "image/jpeg",
      width: 1200,
      height: 800,
      original: { contentType: "image/jpeg", width: 3000, height: 2000, bytes: input.length },
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(created.body.url).toBe(`https://mail.example.test/assets/${created.body.id}/summer-sale.jpg`);
    expect(created.body.bytes).toBeLessThan(input.length / 4);
    expect(created.body).not.toHaveProperty("storageKey");
    expect(created.body).not.toHaveProperty("workspaceId");

    expect(await scrape("sendline_email_assets_total", { result: "created" })).toBe(createdBefore + 1);
    expect(await scrape("sendline_email_asset_bytes_saved_total")).toBe(savedBefore + input.length - created.body.bytes);
    const line = logs.lines().find((entry) => entry.msg === "assets: image stored");
    expect(line).toMatchObject({ workspaceId, assetId: created.body.id, originalBytes: input.length, bytes: created.body.bytes, width: 1200, contentType: "image/jpeg" });
  });

  it("answers 200 with the existing asset when the same image comes again, under any name", async () => {
    const input = await photo(500, 400);
    const first = await upload({ file: { bytes: input, name: "a.jpg" } });
    const again = await upload({ file: { bytes: input, name: "renamed.jpg" } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    // Another workspace gets its own copy.
    const other = await upload({ file: { bytes: input, name: "a.jpg" } }, { key: otherKey });
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(first.body.id);
  });

  it("keeps a transparent PNG a PNG", async () => {
    const logo = await sharp({ create: { width: 300, height: 100, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .composite([{ input: { create: { width: 100, height: 100, channels: 4, background: "#ff6600" } }, left: 100, top: 0 }])
      .png()
      .toBuffer();
    const created = await upload({ file: { bytes: logo, name: "logo.png" } });
    expect(created).toMatchObject({ status: 201, body: { contentType: "image/png", width: 300, height: 100 } });
    expect(created.body.url).toMatch(/\/logo\.png$/);
  });

  it.each([
    ["an SVG", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), "drawing.svg", /SVG .*scripts.*Gmail/],
    ["a text file", Buffer.from("just some text\n"), "notes.jpg", /not an image/],
  ])("refuses %s with 415 and the reason under `file`", async (_what, bytes, name, reason) => {
    const refused = await upload({ file: { bytes, name, type: "image/jpeg" } });
    expect(refused.status).toBe(415);
    expect(refused.body.error.code).toBe("unsupported_media_type");
    expect(refused.body.error.fields.file[0]).toMatch(reason);
  });

  it("refuses a pixel bomb with 413 and a damaged image with 400", async () => {
    const before = await scrape("sendline_email_assets_total", { result: "too_many_pixels" });
    const bomb = await upload({ file: { bytes: await pixelBomb(20_000, 20_000), name: "bomb.png" } });
    expect(bomb.status).toBe(413);
    expect(bomb.body.error).toMatchObject({ code: "image_too_large", fields: { file: [expect.stringMatching(/400 megapixels/)] } });
    expect(await scrape("sendline_email_assets_total", { result: "too_many_pixels" })).toBe(before + 1);

    const damaged = await upload({ file: { bytes: (await photo(300, 300)).subarray(0, 500), name: "cut.jpg" } });
    expect(damaged.status).toBe(400);
    expect(damaged.body.error.fields.file[0]).toMatch(/damaged or incomplete/);
  });

  it("refuses a file over 10 MB with 413, whether declared or only streamed", async () => {
    const big = Buffer.alloc(EMAIL_IMAGE_MAX_INPUT_BYTES + 10, 0xff);
    big.set([0xff, 0xd8, 0xff], 0);
    const streamed = await upload({ file: { bytes: big, name: "huge.jpg" } });
    expect(streamed.status).toBe(413);
    expect(streamed.body.error).toMatchObject({ code: "file_too_large", fields: { file: [expect.stringMatching(/larger than 10 MB/)] } });
    const declared = await upload({ file: { bytes: Buffer.from("x"), name: "x.jpg" } }, { headers: { "content-length": String(50 * 1024 * 1024) } });
    expect(declared.status).toBe(413);
  });

  it("answers 400 with field errors for a missing file, an unknown field, or a body that is not multipart", async () => {
    const missing = await upload({ note: "no file here" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields).toEqual({ note: ["is not a known field"], file: [expect.stringMatching(/is required/)] });
    const json = await callRoute(routes.POST, { method: "POST", path: "/api/v1/assets", apiKey, body: { file: "x" } });
    expect(json.status).toBe(400);
    expect(json.body.error.fields["(body)"]).toEqual([expect.stringMatching(/multipart\/form-data/)]);
  });

  it("answers 401 without an API key", async () => {
    expect((await upload({ file: { bytes: await photo(10, 10), name: "a.jpg" } }, { key: null })).status).toBe(401);
    expect((await list("", "")).status).toBe(401);
  });
});

describe("GET and DELETE /api/v1/assets", () => {
  it("lists the workspace's images newest first with a cursor, never another workspace's", async () => {
    const { apiKey: key } = await createWorkspace(database.db, { name: "Lister" });
    const ids: string[] = [];
    for (const width of [40, 50, 60]) ids.push((await upload({ file: { bytes: await photo(width, 30), name: `w${width}.jpg` } }, { key })).body.id);
    const first = await list("?limit=2", key);
    expect(first.status).toBe(200);
    expect(first.body.data.map((asset: { id: string }) => asset.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.data[0]).toMatchObject({ width: 60, height: 30, url: expect.stringContaining(`/assets/${ids[2]}/w60.jpg`) });
    const second = await list(`?limit=2&cursor=${first.body.nextCursor}`, key);
    expect(second.body.data.map((asset: { id: string }) => asset.id)).toEqual([ids[0]]);
    expect(second.body.nextCursor).toBeNull();
    expect((await list("?limit=100", otherKey)).body.data.map((asset: { id: string }) => asset.id)).not.toContain(ids[0]);
    expect((await list("?cursor=nonsense", key)).status).toBe(400);
  });

  it("deletes an image and its file; another workspace's id and a repeat are 404", async () => {
    const created = await upload({ file: { bytes: await photo(70, 30), name: "gone.jpg" } });
    const files = async () => (await fs.readdir(path.join(dataDir, "files", "assets", workspaceId))).filter((name) => !name.includes(".partial"));
    const before = await files();
    expect((await remove(created.body.id, otherKey)).status).toBe(404);
    expect(await files()).toEqual(before);
    expect((await remove(created.body.id)).status).toBe(204);
    expect((await files()).length).toBe(before.length - 1);
    expect((await remove(created.body.id)).status).toBe(404);
    expect((await remove("not-a-uuid")).status).toBe(404);
    expect((await list("?limit=100")).body.data.map((asset: { id: string }) => asset.id)).not.toContain(created.body.id);
  });
});
