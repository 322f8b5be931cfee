import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { listMessageEngagement } from "@/db/queries/engagement-events";
import { TRANSPARENT_GIF } from "@/lib/tracking/open-pixel-response";
import { TRACKING_LIMIT_PER_IP_PER_MINUTE, TRACKING_LIMIT_PER_TOKEN_PER_MINUTE } from "@/lib/tracking/observe-tracking-request";
import { signTrackingToken } from "@/lib/tracking/tracking-token";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";
import { createTrackedMessage, readMessage, TEST_TRACKING_SECRET } from "../../tracked-message";
import { metricValue, writeObserved } from "../../write-observed";

// A loopback recorder plays the Inngest event API; what the route sent is handed to the real writer.
const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const { GET, HEAD } = await import("@/app/t/o/[token]/route");

const HUMAN = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";
const READER_IP = "203.0.113.45";

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
  await recorder.stop();
});
beforeEach(() => {
  recorder.failNext(0);
  recorder.events.length = 0;
});

async function loadPixel(token: string, headers: Record<string, string> = { "user-agent": HUMAN, "x-forwarded-for": READER_IP }) {
  const { status, response } = await callRoute(GET, { path: `/t/o/${token}`, params: { token }, headers });
  return { status, response };
}
const openToken = (messageId: string) => signTrackingToken({ action: "o", messageId });
const eventsFor = (messageId: string) => recorder.events.filter((event) => event.data.messageId === messageId);

/** callRoute reads the body as text; fetch the raw bytes directly for the image. */
async function pixelBytes(token: string): Promise<Buffer> {
  const response = await GET(new Request(`http://localhost/t/o/${token}`), { params: Promise.resolve({ token }) });
  return Buffer.from(await response.arrayBuffer());
}

describe("GET /t/o/:token", () => {
  it("answers a 1×1 transparent GIF that no cache keeps", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const token = openToken(message.id);
    const { status, response } = await loadPixel(token);
    expect(status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/gif");
    expect(response.headers.get("cache-control")).toMatch(/no-store/);
    expect(await pixelBytes(token)).toEqual(TRANSPARENT_GIF);
  });

  it("writes nothing itself and emits one classified event per load, without the reader's address", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    await loadPixel(openToken(message.id));
    expect(await readMessage(database.db, message.id)).toMatchObject({ openCount: 0, openedAt: null });
    const [event, ...more] = eventsFor(message.id);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      name: "engagement/event.observed",
      id: `engagement-${event!.data.observationId as string}`,
      data: { messageId: message.id, type: "opened", source: "pixel", url: null, machine: null, client: "Apple Mail", device: "mobile", os: "iOS" },
    });
    expect(Date.parse(event!.data.occurredAt as string)).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(event)).not.toContain(READER_IP);
  });

  it.each([
    ["Apple's privacy proxy (its user agent, Apple's address)", { "user-agent": "Mozilla/5.0", "x-forwarded-for": "17.58.100.2, 10.0.0.1" }, "apple-privacy-proxy"],
    ["Microsoft's gateway with a browser's agent", { "user-agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", "x-real-ip": "40.107.5.9" }, "security-scanner"],
    ["a script", { "user-agent": "python-requests/2.31.0" }, "bot-user-agent"],
    ["Gmail's image proxy (a person)", { "user-agent": "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)", "x-forwarded-for": "66.249.84.10" }, null],
  ])("flags %s", async (_case, headers, machine) => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    await loadPixel(openToken(message.id), headers);
    expect(eventsFor(message.id)).toEqual([expect.objectContaining({ data: expect.objectContaining({ machine }) })]);
  });

  it("through the writer: a person's first open is unique, repeats count, machines count apart", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const token = openToken(message.id);
    await loadPixel(token);
    await loadPixel(token);
    await loadPixel(token, { "user-agent": "Mozilla/5.0", "x-forwarded-for": "17.1.1.1" });
    expect(await writeObserved(eventsFor(message.id))).toMatchObject({ events: 3, recorded: 3, duplicates: 0 });
    const after = await readMessage(database.db, message.id);
    expect(after).toMatchObject({ status: "opened", openCount: 2 });
    const stored = await listMessageEngagement(database.db, { workspaceId, messageId: message.id });
    expect(stored.map((row) => [row.type, row.source, row.machine, row.firstOpen])).toEqual([
      ["opened", "pixel", null, true],
      ["opened", "pixel", null, false],
      ["opened", "pixel", "apple-privacy-proxy", false],
    ]);
    // A replayed batch appends and counts nothing.
    expect(await writeObserved(eventsFor(message.id))).toMatchObject({ recorded: 0, duplicates: 3 });
    expect((await readMessage(database.db, message.id)).openCount).toBe(2);
  });

  it("through the writer: an open seconds after the send is a prefetch, not a person", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId, sentAt: new Date() });
    await loadPixel(openToken(message.id));
    await writeObserved(eventsFor(message.id));
    expect((await readMessage(database.db, message.id)).openCount).toBe(0);
    expect((await listMessageEngagement(database.db, { workspaceId, messageId: message.id })).map((row) => row.machine)).toEqual(["prefetch-timing"]);
  });

  it.each([
    ["a clicked message stays clicked", "clicked"],
    ["a bounced message stays bounced", "bounced"],
    ["a message still sending keeps its status for the send to record", "sending"],
  ] as const)("moves status forward only: %s", async (_case, status) => {
    const message = await createTrackedMessage(database.db, { workspaceId, status });
    await loadPixel(openToken(message.id));
    await writeObserved(eventsFor(message.id));
    expect(await readMessage(database.db, message.id)).toMatchObject({ status, openCount: 1 });
  });

  it.each([
    ["a tampered token", (token: string) => `${token.slice(0, -2)}AA`],
    ["a truncated token", (token: string) => token.slice(0, 20)],
    ["garbage", () => "not-a-token"],
  ])("still answers the GIF for %s, and emits nothing", async (_case, spoil) => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const { status, response } = await loadPixel(spoil(openToken(message.id)));
    expect(status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/gif");
    expect(recorder.events).toEqual([]);
  });

  it("does not count an unsubscribe or click token as an open", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    await loadPixel(signTrackingToken({ action: "u", messageId: message.id }));
    await loadPixel(signTrackingToken({ action: "c", messageId: message.id, url: "https://shop.example/" }));
    expect(recorder.events).toEqual([]);
  });

  it("does not count prefetches or HEAD requests", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    await loadPixel(openToken(message.id), { "sec-purpose": "prefetch" });
    expect(HEAD().headers.get("content-type")).toBe("image/gif");
    expect(recorder.events).toEqual([]);
  });

  it("answers the GIF when the Inngest server refuses the event, and logs it", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    recorder.failNext(100);
    const { status, response } = await loadPixel(openToken(message.id));
    expect(status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/gif");
    expect(eventsFor(message.id)).toEqual([]);
  });

  it("answers the GIF for a message that no longer exists; the writer skips it", async () => {
    const messageId = randomUUID();
    expect((await loadPixel(openToken(messageId))).status).toBe(200);
    expect(await writeObserved(eventsFor(messageId))).toMatchObject({ recorded: 0, unknownMessages: 1 });
  });

  it("past the limit per token, answers the GIF but emits nothing, and counts the drop", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const before = await metricValue("sendline_tracking_dropped_total", { source: "pixel", limit: "token" });
    const loads = TRACKING_LIMIT_PER_TOKEN_PER_MINUTE + 5;
    for (let load = 0; load < loads; load += 1) expect((await loadPixel(openToken(message.id), { "user-agent": HUMAN, "x-forwarded-for": `198.51.100.${load}` })).status).toBe(200);
    expect(eventsFor(message.id)).toHaveLength(TRACKING_LIMIT_PER_TOKEN_PER_MINUTE);
    expect((await metricValue("sendline_tracking_dropped_total", { source: "pixel", limit: "token" })) - before).toBe(5);
  });

  it("past the limit per address, answers the GIF but emits nothing, and counts the drop", async () => {
    const before = await metricValue("sendline_tracking_dropped_total", { source: "pixel", limit: "ip" });
    const headers = { "user-agent": HUMAN, "x-forwarded-for": "192.0.2.77" };
    const loads = TRACKING_LIMIT_PER_IP_PER_MINUTE + 3;
    // Distinct messages, so only the address limit applies.
    for (let load = 0; load < loads; load += 1) expect((await loadPixel(openToken(randomUUID()), headers)).status).toBe(200);
    expect(recorder.events).toHaveLength(TRACKING_LIMIT_PER_IP_PER_MINUTE);
    expect((await metricValue("sendline_tracking_dropped_total", { source: "pixel", limit: "ip" })) - before).toBe(3);
  });
});
