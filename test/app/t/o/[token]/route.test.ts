import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET, HEAD } from "@/app/t/o/[token]/route";
import type { Database } from "@/db";
import { TRANSPARENT_GIF } from "@/lib/tracking/open-pixel-response";
import { signTrackingToken } from "@/lib/tracking/tracking-token";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { createTrackedMessage, readMessage, TEST_TRACKING_SECRET } from "../../tracked-message";

let database: Database;
let workspaceId: string;

beforeAll(async () => {
  vi.stubEnv("TRACKING_SECRET", TEST_TRACKING_SECRET);
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Acme" }));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await database.close();
});

async function loadPixel(token: string, headers?: Record<string, string>) {
  const { status, response } = await callRoute(GET, { path: `/t/o/${token}`, params: { token }, headers });
  return { status, response };
}

/** callRoute reads the body as text; fetch the raw bytes directly for the image. */
async function pixelBytes(token: string): Promise<Buffer> {
  const response = await GET(new Request(`http://localhost/t/o/${token}`), { params: Promise.resolve({ token }) });
  return Buffer.from(await response.arrayBuffer());
}

describe("GET /t/o/:token", () => {
  it("answers a 1×1 transparent GIF that no cache keeps", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const token = signTrackingToken({ action: "o", messageId: message.id });
    const { status, response } = await loadPixel(token);
    expect(status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/gif");
    expect(response.headers.get("cache-control")).toMatch(/no-store/);
    expect(await pixelBytes(token)).toEqual(TRANSPARENT_GIF);
  });

  it("records the first open as unique and counts every repeat", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const token = signTrackingToken({ action: "o", messageId: message.id });
    await loadPixel(token);
    const first = await readMessage(database.db, message.id);
    expect(first).toMatchObject({ status: "opened", openCount: 1 });
    expect(first.openedAt).toBeInstanceOf(Date);

    await loadPixel(token);
    await loadPixel(token);
    const later = await readMessage(database.db, message.id);
    expect(later).toMatchObject({ status: "opened", openCount: 3, clickCount: 0 });
    expect(later.openedAt).toEqual(first.openedAt);
  });

  it("counts concurrent opens without losing any", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const token = signTrackingToken({ action: "o", messageId: message.id });
    await Promise.all(Array.from({ length: 8 }, () => loadPixel(token)));
    expect((await readMessage(database.db, message.id)).openCount).toBe(8);
  });

  it.each([
    ["a clicked message stays clicked", "clicked"],
    ["a bounced message stays bounced", "bounced"],
    ["a message still sending keeps its status for the send to record", "sending"],
  ] as const)("moves status forward only: %s", async (_case, status) => {
    const message = await createTrackedMessage(database.db, { workspaceId, status });
    await loadPixel(signTrackingToken({ action: "o", messageId: message.id }));
    expect(await readMessage(database.db, message.id)).toMatchObject({ status, openCount: 1 });
  });

  it.each([
    ["a tampered token", (token: string) => `${token.slice(0, -2)}AA`],
    ["a truncated token", (token: string) => token.slice(0, 20)],
    ["garbage", () => "not-a-token"],
  ])("still answers the GIF for %s, and records nothing", async (_case, spoil) => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const token = spoil(signTrackingToken({ action: "o", messageId: message.id }));
    const { status, response } = await loadPixel(token);
    expect(status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/gif");
    expect(await readMessage(database.db, message.id)).toMatchObject({ status: "sent", openCount: 0, openedAt: null });
  });

  it("does not count an unsubscribe or click token as an open", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    await loadPixel(signTrackingToken({ action: "u", messageId: message.id }));
    await loadPixel(signTrackingToken({ action: "c", messageId: message.id, url: "https://shop.example/" }));
    expect((await readMessage(database.db, message.id)).openCount).toBe(0);
  });

  it("does not count prefetches or HEAD requests", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const token = signTrackingToken({ action: "o", messageId: message.id });
    await loadPixel(token, { "sec-purpose": "prefetch" });
    expect(HEAD().headers.get("content-type")).toBe("image/gif");
    expect((await readMessage(database.db, message.id)).openCount).toBe(0);
  });

  it("answers the GIF for a message that no longer exists", async () => {
    const { status } = await loadPixel(signTrackingToken({ action: "o", messageId: "00000000-0000-4000-8000-000000000000" }));
    expect(status).toBe(200);
  });
});
