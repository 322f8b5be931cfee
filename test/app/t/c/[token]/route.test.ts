import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET, HEAD } from "@/app/t/c/[token]/route";
import type { Database } from "@/db";
import { messages } from "@/db/schema";
import { instrumentEmail } from "@/lib/tracking/instrument-email";
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

const click = (token: string, headers?: Record<string, string>) => callRoute(GET, { path: `/t/c/${token}`, params: { token }, headers });
const clickToken = (messageId: string, url: string) => signTrackingToken({ action: "c", messageId, url });

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

  it("records the first click as unique, counts every repeat, and implies an open", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const token = clickToken(message.id, "https://shop.example/");
    await click(token);
    const first = await readMessage(database.db, message.id);
    expect(first).toMatchObject({ status: "clicked", clickCount: 1, openCount: 1 });
    expect(first.clickedAt).toBeInstanceOf(Date);
    expect(first.openedAt).toEqual(first.clickedAt);

    await click(token);
    const later = await readMessage(database.db, message.id);
    expect(later).toMatchObject({ status: "clicked", clickCount: 2, openCount: 1 });
    expect(later.clickedAt).toEqual(first.clickedAt);
  });

  it("keeps an earlier open's time and count", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId, status: "opened" });
    const openedAt = new Date("2026-01-01T00:00:00Z");
    await database.db.update(messages).set({ openedAt, openCount: 4 }).where(eq(messages.id, message.id));
    await click(clickToken(message.id, "https://shop.example/"));
    expect(await readMessage(database.db, message.id)).toMatchObject({ status: "clicked", openCount: 4, openedAt, clickCount: 1 });
  });

  it("never moves a terminal status", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId, status: "complained" });
    await click(clickToken(message.id, "https://shop.example/"));
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
    expect(await readMessage(database.db, message.id)).toMatchObject({ clickCount: 0, clickedAt: null });
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
    expect((await readMessage(database.db, message.id)).clickCount).toBe(0);
  });

  it("still redirects when the message is gone, so links in old mail keep working", async () => {
    const { status, response } = await click(clickToken("00000000-0000-4000-8000-000000000000", "https://shop.example/"));
    expect(status).toBe(302);
    expect(response.headers.get("location")).toBe("https://shop.example/");
  });
});
