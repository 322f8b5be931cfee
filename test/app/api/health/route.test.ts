import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type Database, setDatabase } from "@/db";
import { startAppEngine } from "@/test/support/app-engine";
import { createTestDatabase, useTestDatabase } from "@/test/support/database";
import { freePort } from "@/test/support/free-port";
import journal from "@/db/migrations/meta/_journal.json";
import { pingDatabase } from "@/db/queries/health";

// A real local engine, started without syncing the app, so the test sees the app before and
// after its first sync, as `npm run dev` does. App modules are imported once INNGEST_DEV points at it.
const app = await startAppEngine({ sync: false });
const ENGINE_URL = app.url;
const { GET } = await import("@/app/api/health/route");
const { redactSecrets } = await import("@/app/api/health/check-health");
const { clearReadinessCache } = await import("@/app/api/health/inngest-readiness");

const newest = journal.entries.at(-1)!.tag;
const CURRENT_SCHEMA = { expected: newest, applied: newest, pending: [] };

let database: Database;

beforeAll(async () => {
  database = await useTestDatabase();
});

beforeEach(() => {
  clearReadinessCache();
});

afterEach(() => {
  vi.unstubAllEnvs();
  setDatabase(database);
});

afterAll(async () => {
  await app.stop();
  await database.close();
});

describe("GET /api/health in dev mode: ready only once the engine knows the app", () => {
  it("answers 503 not_ready before the engine's first sync of the app, and 200 after", async () => {
    const before = await GET();
    expect(before.status).toBe(503);
    expect(before.headers.get("cache-control")).toBe("no-store");
    expect(await before.json()).toEqual({
      status: "not_ready",
      reason: `the Inngest dev server at ${ENGINE_URL} has not synced this app yet`,
      database: { ok: true, kind: database.kind, latencyMs: expect.any(Number), schema: CURRENT_SCHEMA },
      inngest: { mode: "dev", serverUrl: ENGINE_URL, ready: false },
    });

    await app.engine.sync();
    clearReadinessCache();
    const after = await GET();
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({
      status: "ok",
      database: { ok: true, kind: database.kind, latencyMs: expect.any(Number), schema: CURRENT_SCHEMA },
      inngest: { mode: "dev", serverUrl: ENGINE_URL, ready: true },
    });
  });

  it("keeps a yes for a few seconds, so health checks do not each ask the engine", async () => {
    await app.engine.sync();
    expect((await GET()).status).toBe(200);
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    try {
      expect((await GET()).status).toBe(200);
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
    }
  });

  it("answers 503 naming the engine when it does not answer", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    vi.stubEnv("INNGEST_DEV", closed);
    const response = await GET();
    expect(response.status).toBe(503);
    expect((await response.json()).reason).toMatch(new RegExp(`^the Inngest dev server at ${closed} is not answering`));
  });
});

describe("GET /api/health", () => {
  it("reports cloud mode without revealing the signing key", async () => {
    vi.stubEnv("INNGEST_DEV", "");
    vi.stubEnv("INNGEST_SIGNING_KEY", "signkey-prod-0123456789abcdef");
    const response = await GET();
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ status: "ok", inngest: { mode: "cloud", serverUrl: "https://api.inngest.com" } });
    expect(text).not.toContain("0123456789abcdef");
  });

  it("answers 503 degraded when the database does not answer", async () => {
    const closed = await createTestDatabase();
    await closed.close();
    setDatabase(closed);
    const response = await GET();
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body.status).toBe("degraded");
    expect(body.database).toMatchObject({ ok: false, latencyMs: null, error: expect.any(String) });
  });

  it("answers 503 not_ready for a production server lacking what start-up requires, listing it by name", async () => {
    vi.stubEnv("NODE_ENV", "production");
    for (const name of ["INNGEST_DEV", "INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY", "DATABASE_URL", "S3_BUCKET", "SENDLINE_DATA_DIR", "PUBLIC_URL", "TRACKING_SECRET", "ENCRYPTION_KEYS"]) vi.stubEnv(name, "");
    const response = await GET();
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body).toMatchObject({ status: "not_ready", reason: "7 problems keep this server from working" });
    expect(body.problems.map((problem: string) => problem.split(" ")[0])).toEqual([
      "DATABASE_URL",
      "S3_BUCKET",
      "PUBLIC_URL",
      "TRACKING_SECRET",
      "ENCRYPTION_KEYS",
      "INNGEST_SIGNING_KEY",
      "INNGEST_EVENT_KEY",
    ]);
  });

  it("answers 503 not_ready for a database behind the code's migrations, naming what is pending", async () => {
    const empty = await createTestDatabase({ migrate: false });
    await pingDatabase(empty.db); // an in-memory PGlite boots on its first query, which can outlast the ping timeout
    setDatabase(empty);
    try {
      const response = await GET();
      expect(response.status).toBe(503);
      const body = await response.json();
      expect(body.status).toBe("not_ready");
      expect(body.reason).toMatch(/^the database schema has never been migrated but this code needs/);
      expect(body.database.schema).toMatchObject({ expected: newest, applied: null, pending: expect.arrayContaining([newest]) });
    } finally {
      await empty.close();
    }
  });

  it("answers 200 degraded, naming the provider, when a channel is configured half-way", async () => {
    await app.engine.sync();
    vi.stubEnv("TWILIO_ACCOUNT_SID", "AC123");
    vi.stubEnv("SMS_PROVIDER", "twilio");
    const response = await GET();
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ status: "degraded", reason: "a provider is configured half-way" });
    expect(body.providers).toEqual([expect.stringMatching(/^SMS: Twilio is half-configured: TWILIO_AUTH_TOKEN, TWILIO_FROM are missing/)]);
  });
});

describe("redactSecrets", () => {
  it.each([
    ["credentials in a URL", "connect failed: postgres://app:s3cret@db.internal:5432/x", "postgres://[redacted]@db.internal:5432/x"],
    ["a known secret's value", "bad key re_live_abcdef123", "bad key [redacted]"],
    ["nothing secret", "ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED 127.0.0.1:5432"],
  ])("strips %s", (_name, input, expected) => {
    expect(redactSecrets(input, { RESEND_API_KEY: "re_live_abcdef123" } as unknown as NodeJS.ProcessEnv)).toContain(expected);
  });
});
