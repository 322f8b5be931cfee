import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { redactSecrets } from "@/app/api/health/check-health";
import { GET } from "@/app/api/health/route";
import { type Database, setDatabase } from "@/db";
import { createTestDatabase, useTestDatabase } from "@/test/support/database";

let database: Database;

beforeAll(async () => {
  database = await useTestDatabase();
});

afterEach(() => {
  vi.unstubAllEnvs();
  setDatabase(database);
});

afterAll(async () => {
  await database.close();
});

describe("GET /api/health", () => {
  it("reports ok with the database kind, latency and Inngest dev mode", async () => {
    vi.stubEnv("INNGEST_DEV", "http://127.0.0.1:8288");
    const response = await GET();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(body).toEqual({
      status: "ok",
      database: { ok: true, kind: database.kind, latencyMs: expect.any(Number) },
      inngest: { mode: "dev", serverUrl: "http://127.0.0.1:8288" },
    });
  });

  it("reports cloud mode without revealing the signing key", async () => {
    vi.stubEnv("INNGEST_DEV", "");
    vi.stubEnv("INNGEST_SIGNING_KEY", "signkey-prod-0123456789abcdef");
    const response = await GET();
    const text = await response.text();
    expect(JSON.parse(text).inngest).toEqual({ mode: "cloud", serverUrl: "https://api.inngest.com" });
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
