import { afterEach, describe, expect, it } from "vitest";
import { type FakeResend, type FakeResendOptions, startFakeResend } from "./fake-resend";

let fake: FakeResend;
afterEach(() => fake.stop());

async function start(options: FakeResendOptions = {}) {
  fake = await startFakeResend(options);
}

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${fake.url}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${fake.apiKey}`, "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

const email = (to = "ann@example.com") => ({ from: "Sendline <hi@sendline.test>", to, subject: "s", html: "<p>h</p>" });

describe("startFakeResend", () => {
  it("listens on loopback only", async () => {
    await start();
    expect(new URL(fake.url).hostname).toBe("127.0.0.1");
  });

  it("enforces Resend's default 2 requests/second with 429, retry-after and ratelimit headers", async () => {
    await start();
    // Concurrent, so the three land within a few milliseconds of each other on any machine.
    const answers = await Promise.all([1, 2, 3].map(() => post("/emails", email())));
    const accepted = answers.filter((a) => a.status === 200);
    const limited = answers.find((a) => a.status === 429)!;

    expect(accepted).toHaveLength(2);
    expect(accepted.map((a) => a.headers.get("ratelimit-limit"))).toEqual(["2", "2"]);
    expect(accepted.map((a) => a.headers.get("ratelimit-remaining")).sort()).toEqual(["0", "1"]);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(await limited.json()).toMatchObject({ statusCode: 429, name: "rate_limit_exceeded" });
    expect(fake.counters).toMatchObject({ accepted: 2, rateLimited: 1 });
  });

  it("lets a client paced at the limit through without 429s", async () => {
    await start({ rateLimit: { requests: 20, windowMs: 1_000 } });
    const statuses = [];
    for (let i = 0; i < 40; i += 1) {
      statuses.push((await post("/emails", email())).status);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(statuses.filter((s) => s === 429)).toEqual([]);
  });

  it("checks the Bearer key: 401 when missing, 403 when wrong", async () => {
    await start();
    const missing = await fetch(`${fake.url}/emails`, { method: "POST", body: "{}" });
    const wrong = await post("/emails", email(), { Authorization: "Bearer re_nope" });
    expect([missing.status, wrong.status]).toEqual([401, 403]);
    expect(fake.emails).toHaveLength(0);
  });

  it("rejects a whole strict batch for one bad email, and more than 100 emails", async () => {
    await start({ rateLimit: false });
    const strict = await post("/emails/batch", [email(), email("nope")]);
    const tooMany = await post("/emails/batch", Array.from({ length: 101 }, () => email()));
    expect([strict.status, tooMany.status]).toEqual([422, 422]);
    expect(fake.emails).toHaveLength(0);
  });

  it("remembers only processed requests: a rejected one may be retried under the same key", async () => {
    await start({ rateLimit: false });
    const rejected = await post("/emails", { ...email(), subject: "" }, { "Idempotency-Key": "k" });
    const retried = await post("/emails", email(), { "Idempotency-Key": "k" });
    expect([rejected.status, retried.status]).toEqual([422, 200]);
    expect(fake.counters.duplicates).toBe(0);
  });

  it("can answer 500 after accepting, so a retry exercises the idempotency key", async () => {
    await start({ rateLimit: false });
    fake.failNext(1, { status: 500, afterAccept: true });
    const lost = await post("/emails", email(), { "Idempotency-Key": "k" });
    const retry = await post("/emails", email(), { "Idempotency-Key": "k" });

    expect([lost.status, retry.status]).toEqual([500, 200]);
    expect(((await retry.json()) as { id: string }).id).toBe(fake.emails[0]!.id);
    expect(fake.emails).toHaveLength(1);
    expect(fake.duplicateKeys).toEqual(["k"]);
  });
});
