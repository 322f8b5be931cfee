import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type Database, setDatabase } from "@/db";
import { startAppEngine } from "@/test/support/app-engine";
import { createTestDatabase, useTestDatabase } from "@/test/support/database";
import { freePort } from "@/test/support/free-port";

// A real local engine, started without syncing the app, so the test sees the app before and
// after its first sync, as `npm run dev` does. App modules are imported once INNGEST_DEV points at it.
const app = await startAppEngine({ sync: false });
const ENGINE_URL = app.url;
const { GET } = await import("@/app/api/health/route");
const { redactSecrets } = await import("@/app/api/health/check-health");
const { clearReadinessCache } = await import("@/app/api/health/inngest-readiness");

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
      database: { ok: true, kind: database.kind, latencyMs: expect.any(Number) },
      inngest: { mode: "dev", serverUrl: ENGINE_URL, ready: false },
    });

    await app.engine.sync();
    clearReadinessCache();
    const after = await GET();
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({
      status: "ok",
      database: { ok: true, kind: database.kind, latencyMs: expect.any(Number) },
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

  it("marks a production server without Inngest keys degraded, still answering 200 for a live database", async () => {
    vi.stubEnv("INNGEST_DEV", "");
    vi.stubEnv("INNGEST_SIGNING_KEY", "");
    vi.stubEnv("NODE_ENV", "production");
    const response = await GET();
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.status).toBe("degraded");
    expect(body.inngest).toMatchObject({ mode: null, serverUrl: null, error: expect.stringContaining("INNGEST_SIGNING_KEY") });
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
