import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { listMessageEngagement } from "@/db/queries/engagement-events";
import { messages } from "@/db/schema";
import { instrumentEmail } from "@/lib/tracking/instrument-email";
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
const { GET, HEAD } = await import("@/app/t/c/[token]/route");

const HUMAN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

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

const click = (token: string, headers: Record<string, string> = { "user-agent": HUMAN, "x-forwarded-for": "203.0.113.8" }) =>
  callRoute(GET, { path: `/t/c/${token}`, params: { token }, headers });
const clickToken = (messageId: string, url: string) => signTrackingToken({ action: "c", messageId, url });
const eventsFor = (messageId: string) => recorder.events.filter((event) => event.data.messageId === messageId);
/**
 * A link followed, then written by the real batch writer as the Inngest server would run it.
 * `laterMs` dates the click later, as a person's second click comes (clicks within a second of
 * each other are a scanner's burst).
 */
const clickAndWrite = async (token: string, messageId: string, laterMs = 0) => {
  await click(token);
  const events = eventsFor(messageId).map((event) => ({ ...event, data: { ...event.data, occurredAt: new Date(Date.parse(event.data.occurredAt as string) + laterMs).toISOString() } }));
  await writeObserved(events);
};

describe("GET /t/c/:token", () => {
  it("redirects (302) to the URL signed into the token", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const { status, response } = await click(clickToken(message.id, "https://shop.example/sale?utm_source=mail&x=1#top"));
    expect(status).toBe(302);
    expect(response.headers.get("location")).toBe("https://shop.example/sale?utm_source=mail&x=1#top");
    expect(response.headers.get("cache-control")).toMatch(/no-store/);
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it.each([
    ["?url=", "?url=https%3A%2F%2Fevil.example%2Fphish"],
    ["?redirect=", "?redirect=https://evil.example/phish"],
    ["?next=", "?next=//evil.example/phish"],
    ["all three at once", "?url=https://evil.example/a&redirect=https://evil.example/b&next=https://evil.example/c"],
  ])("goes only to the signed URL, ignoring %s pointing elsewhere", async (_case, query) => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const token = clickToken(message.id, "https://shop.example/sale");
    for (const handler of [GET, HEAD]) {
      const { status, response } = await callRoute(handler, { method: handler === HEAD ? "HEAD" : "GET", path: `/t/c/${token}${query}`, params: { token } });
      expect(status).toBe(302);
      expect(response.headers.get("location")).toBe("https://shop.example/sale");
    }
  });

  it("follows a link from an instrumented email to exactly where the email pointed", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const { html } = instrumentEmail({
      html: `<a href="https://shop.example/?a=1&amp;b=caf&#233;">shop</a>`,
      text: "",
      messageId: message.id,
      baseUrl: "https://sendline.localhost",
    });
    const token = /href="https:\/\/sendline\.localhost\/t\/c\/([^"]+)"/.exec(html)![1]!;
    const { response } = await click(token);
    expect(response.headers.get("location")).toBe("https://shop.example/?a=1&b=caf%C3%A9");
  });

  it("emits one classified click with its URL, and writes nothing itself", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    await click(clickToken(message.id, "https://shop.example/sale"));
    expect(await readMessage(database.db, message.id)).toMatchObject({ clickCount: 0 });
    expect(eventsFor(message.id)).toEqual([
      expect.objectContaining({
        name: "engagement/event.observed",
        data: expect.objectContaining({ type: "clicked", source: "redirect", url: "https://shop.example/sale", machine: null, client: "Chrome", device: "desktop", os: "Windows" }),
      }),
    ]);
  });

  it("flags a security gateway's click (by its address) and the writer counts it apart", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    await click(clickToken(message.id, "https://shop.example/"), { "user-agent": HUMAN, "x-forwarded-for": "148.163.150.10" });
    expect(eventsFor(message.id)[0]!.data.machine).toBe("security-scanner");
    await writeObserved(eventsFor(message.id));
    expect(await readMessage(database.db, message.id)).toMatchObject({ status: "sent", clickCount: 0, openCount: 0 });
  });

  it("through the writer: clicks on every link within a second are a scanner's burst", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    await click(clickToken(message.id, "https://shop.example/a"));
    await click(clickToken(message.id, "https://shop.example/b"));
    await writeObserved(eventsFor(message.id));
    expect(await readMessage(database.db, message.id)).toMatchObject({ clickCount: 0 });
    expect((await listMessageEngagement(database.db, { workspaceId, messageId: message.id })).map((row) => row.machine)).toEqual(["prefetch-timing", "prefetch-timing"]);
  });

  it("redirects when the Inngest server refuses the event", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    recorder.failNext(100);
    const { status, response } = await click(clickToken(message.id, "https://shop.example/"));
    expect(status).toBe(302);
    expect(response.headers.get("location")).toBe("https://shop.example/");
    expect(eventsFor(message.id)).toEqual([]);
  });

  it("past the limit per token, redirects but emits nothing, and counts the drop", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const token = clickToken(message.id, "https://shop.example/flood");
    const before = await metricValue("sendline_tracking_dropped_total", { source: "redirect", limit: "token" });
    for (let follow = 0; follow < 23; follow += 1) expect((await click(token)).status).toBe(302);
    expect(eventsFor(message.id)).toHaveLength(20);
    expect((await metricValue("sendline_tracking_dropped_total", { source: "redirect", limit: "token" })) - before).toBe(3);
  });

  it("records the first click as unique, counts every repeat, and implies an open", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const token = clickToken(message.id, "https://shop.example/");
    await clickAndWrite(token, message.id);
    recorder.events.length = 0;
    const first = await readMessage(database.db, message.id);
    expect(first).toMatchObject({ status: "clicked", clickCount: 1, openCount: 1 });
    expect(first.clickedAt).toBeInstanceOf(Date);
    expect(first.openedAt).toEqual(first.clickedAt);

    await clickAndWrite(token, message.id, 60_000);
    const later = await readMessage(database.db, message.id);
    expect(later).toMatchObject({ status: "clicked", clickCount: 2, openCount: 1 });
    expect(later.clickedAt).toEqual(first.clickedAt);
  });

  it("keeps an earlier open's time and count", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId, status: "opened" });
    const openedAt = new Date("2026-01-01T00:00:00Z");
    await database.db.update(messages).set({ openedAt, openCount: 4 }).where(eq(messages.id, message.id));
    await clickAndWrite(clickToken(message.id, "https://shop.example/"), message.id);
    expect(await readMessage(database.db, message.id)).toMatchObject({ status: "clicked", openCount: 4, openedAt, clickCount: 1 });
  });

  it("never moves a terminal status", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId, status: "complained" });
    await clickAndWrite(clickToken(message.id, "https://shop.example/"), message.id);
    expect(await readMessage(database.db, message.id)).toMatchObject({ status: "complained", clickCount: 1 });
  });

  it.each([
    ["a tampered token", (token: string) => `${token.slice(0, 10)}${token[10] === "A" ? "B" : "A"}${token.slice(11)}`],
    ["a truncated token", (token: string) => token.slice(0, token.length - 3)],
    ["garbage", () => "nope"],
  ])("answers %s with a 404 page, never a redirect, and records nothing", async (_case, spoil) => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const { status, body, response } = await click(spoil(clickToken(message.id, "https://shop.example/")));
    expect(status).toBe(404);
    expect(response.headers.get("location")).toBeNull();
    expect(body).toContain("This link is not valid");
    expect(recorder.events).toEqual([]);
  });

  it("does not accept an open or unsubscribe token as a click", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    expect((await click(signTrackingToken({ action: "o", messageId: message.id }))).status).toBe(404);
    expect((await click(signTrackingToken({ action: "u", messageId: message.id }))).status).toBe(404);
  });

  it("redirects prefetches and HEAD requests without counting them", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const token = clickToken(message.id, "https://shop.example/");
    expect((await click(token, { purpose: "prefetch" })).status).toBe(302);
    const head = await callRoute(HEAD, { method: "HEAD", path: `/t/c/${token}`, params: { token } });
    expect(head.response.headers.get("location")).toBe("https://shop.example/");
    expect(recorder.events).toEqual([]);
  });

  it("still redirects when the message is gone, so links in old mail keep working", async () => {
    const { status, response } = await click(clickToken("00000000-0000-4000-8000-000000000000", "https://shop.example/"));
    expect(status).toBe(302);
    expect(response.headers.get("location")).toBe("https://shop.example/");
  });
});
