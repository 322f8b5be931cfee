import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { startFakeResend } from "@/test/fakes/fake-resend";
import { callRoute } from "@/test/support/api";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { useTestDatabase } from "@/test/support/database";

/**
 * Dead letters end to end: the real API, the engine running the real send-notification through
 * the app's serve() route (fast retry backoff), and the real Resend SDK against the fake Resend.
 * A message whose retries all fail lands in the dead letters with its attempts; retried twice —
 * concurrently and again later — it is sent once, and a message Resend had in fact accepted (the
 * answer lost every time) is answered from Resend's idempotency store, not sent again.
 */
let app: Awaited<ReturnType<typeof startAppEngine>>;
let resend: Awaited<ReturnType<typeof startFakeResend>>;
let database: Database;
let apiKey: string;
let notifications: typeof import("@/app/api/v1/notifications/route");
let notificationDetail: typeof import("@/app/api/v1/notifications/[id]/route");
let deadLetterDetail: typeof import("@/app/api/v1/dead-letters/[id]/route");
let retryOne: typeof import("@/app/api/v1/dead-letters/[id]/retry/route");

/** send-notification's `retries: 8`: the first try and eight retries. */
const ATTEMPTS = 9;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey } = await createWorkspace(database.db, { name: "Dead letters" }));
  resend = await startFakeResend({ rateLimit: false });
  Object.assign(process.env, { RESEND_API_KEY: resend.apiKey, RESEND_BASE_URL: resend.url });
  app = await startAppEngine();
  notifications = await import("@/app/api/v1/notifications/route");
  notificationDetail = await import("@/app/api/v1/notifications/[id]/route");
  deadLetterDetail = await import("@/app/api/v1/dead-letters/[id]/route");
  retryOne = await import("@/app/api/v1/dead-letters/[id]/retry/route");
});
afterAll(async () => {
  await app?.stop();
  await resend?.stop();
  delete process.env.RESEND_API_KEY;
  delete process.env.RESEND_BASE_URL;
  await database?.close();
});

const post = (body: Record<string, unknown>) => callRoute(notifications.POST, { method: "POST", path: "/api/v1/notifications", apiKey, body });
const notification = (id: string) => callRoute(notificationDetail.GET, { path: "/", apiKey, params: { id } });
const deadLetter = (id: string) => callRoute(deadLetterDetail.GET, { path: "/", apiKey, params: { id } });
const retry = (id: string) => callRoute(retryOne.POST, { method: "POST", path: "/", apiKey, params: { id } });
const emailsTo = (address: string) => resend.emails.filter((email) => email.to.includes(address));

async function deadLettered(request: Record<string, unknown>) {
  const queued = await post(request);
  expect(queued.status).toBe(202);
  const letter = await waitFor(() => deadLetter(queued.body.id), (response) => response.status === 200, 50_000);
  return { id: queued.body.id as string, letter: letter.body };
}

describe("dead letters through the engine", () => {
  it("a message whose every attempt fails is dead-lettered with its attempts; retried twice, it is sent once", async () => {
    resend.failNext(ATTEMPTS, { status: 503 });
    const { id, letter } = await deadLettered({ messageId: "dl-outage", channel: "email", to: "down@example.com", subject: "s", body: "<p>b</p>" });

    expect(letter).toMatchObject({ status: "failed", retryCount: 0, attemptCount: ATTEMPTS });
    expect(letter.error).toMatch(new RegExp(`^Gave up after ${ATTEMPTS} failed attempts; the last: resend: .*\\(HTTP 503\\)$`));
    expect(letter.attempts.map((attempt: { attempt: number; outcome: string; provider: string }) => [attempt.attempt, attempt.outcome, attempt.provider])).toEqual(
      Array.from({ length: ATTEMPTS }, (_, index) => [index + 1, "failed", "resend"]),
    );
    expect(emailsTo("down@example.com")).toHaveLength(0);

    // Resend is healthy again. Two retries race: one requeues, the other finds no dead letter.
    const [first, second] = await Promise.all([retry(id), retry(id)]);
    expect([first.status, second.status].sort()).toEqual([202, 409]);
    await waitFor(() => notification(id), (response) => response.body.status === "sent");
    // A later retry of the sent message is refused too.
    expect((await retry(id)).status).toBe(409);
    expect((await deadLetter(id)).status).toBe(404);

    expect(emailsTo("down@example.com")).toHaveLength(1);
    expect(resend.duplicateSends()).toEqual([]);
  }, 90_000);

  it("a dead letter the provider had in fact accepted (the answer lost) is not sent again when retried", async () => {
    // Every attempt reaches Resend and is processed, and every answer is lost: the first
    // accepts the email, the next ones are replays of it from Resend's idempotency store.
    resend.failNext(ATTEMPTS, { status: 500, afterAccept: true });
    const duplicatesBefore = resend.counters.duplicates;
    const { id, letter } = await deadLettered({ messageId: "dl-lost", channel: "email", to: "lost@example.com", subject: "s", body: "<p>b</p>" });
    expect(letter.attemptCount).toBe(ATTEMPTS);
    expect(emailsTo("lost@example.com")).toHaveLength(1);

    expect((await retry(id)).status).toBe(202);
    const sent = await waitFor(() => notification(id), (response) => response.body.status === "sent");
    expect(emailsTo("lost@example.com")).toHaveLength(1);
    expect(sent.body.providerMessageId).toBe(emailsTo("lost@example.com")[0]!.id);
    // The eight retries of the first run and the retried run's send were all answered from the store.
    expect(resend.counters.duplicates - duplicatesBefore).toBe(ATTEMPTS);
  }, 90_000);
});
