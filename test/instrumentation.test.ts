import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type Database, setDatabase } from "@/db";
import { register } from "@/instrumentation";
import { captureLogs } from "@/lib/observability/logger";
import { createTestDatabase } from "@/test/support/database";

/** Everything a production server needs (the database itself is installed per test). */
const PRODUCTION_ENV = {
  NEXT_RUNTIME: "nodejs",
  NODE_ENV: "production",
  DATABASE_URL: "postgres://sendline@db.internal:5432/sendline",
  S3_BUCKET: "uploads",
  S3_REGION: "eu-west-1",
  S3_ACCESS_KEY_ID: "AKIAEXAMPLE",
  S3_SECRET_ACCESS_KEY: "secret-access-key",
  PUBLIC_URL: "https://mail.example.com",
  TRACKING_SECRET: "t".repeat(40),
  ENCRYPTION_KEYS: Buffer.alloc(32, 7).toString("base64"),
  INNGEST_SIGNING_KEY: "signkey-prod-00112233",
  INNGEST_EVENT_KEY: "event-key",
  INNGEST_DEV: "",
};

function stubEnv(env: Record<string, string>) {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
}

/** Runs register() as a refused start would: what it printed, and the exit code it stopped the process with. */
async function refusedStart(): Promise<{ printed: string; exitCode: number | undefined }> {
  const printed = vi.spyOn(console, "error").mockImplementation(() => {});
  const exit = vi.spyOn(process, "exit").mockImplementation(((code?: number) => {
    throw new Error(`process.exit(${code})`);
  }) as never);
  await expect(register()).rejects.toThrow(/^process\.exit/);
  return { printed: printed.mock.calls.map((call) => String(call[0])).join("\n"), exitCode: exit.mock.calls[0]?.[0] as number | undefined };
}

let migrated: Database;
let empty: Database;
beforeAll(async () => {
  [migrated, empty] = await Promise.all([createTestDatabase(), createTestDatabase({ migrate: false })]);
});
afterAll(async () => {
  await Promise.all([migrated.close(), empty.close()]);
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  setDatabase(undefined);
});

describe("register (server start)", () => {
  it("refuses to start a production server with an unusable value, naming it", async () => {
    stubEnv({ ...PRODUCTION_ENV, CAMPAIGN_CHUNK_SIZE: "lots" });
    const { printed, exitCode } = await refusedStart();
    expect(exitCode).toBe(1);
    expect(printed).toContain('CAMPAIGN_CHUNK_SIZE="lots" must be a whole number from 1 to 10000');
  });

  it("refuses to start a production server on embedded defaults, listing everything missing in one message", async () => {
    stubEnv({ NEXT_RUNTIME: "nodejs", NODE_ENV: "production", INNGEST_DEV: "" });
    for (const name of ["DATABASE_URL", "S3_BUCKET", "SENDLINE_DATA_DIR", "PUBLIC_URL", "TRACKING_SECRET", "ENCRYPTION_KEYS", "INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY"]) vi.stubEnv(name, "");
    const { printed, exitCode } = await refusedStart();
    expect(exitCode).toBe(1);
    expect(printed).toMatch(/^Sendline cannot start in production/);
    for (const name of ["DATABASE_URL", "S3_BUCKET", "PUBLIC_URL", "TRACKING_SECRET", "ENCRYPTION_KEYS", "INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY"]) {
      expect(printed).toContain(`- ${name} is not set`);
    }
  });

  it("takes an explicit SENDLINE_DATA_DIR instead of S3, and INNGEST_DEV instead of the keys", async () => {
    const { S3_BUCKET: _bucket, INNGEST_SIGNING_KEY: _key, INNGEST_EVENT_KEY: _event, ...rest } = PRODUCTION_ENV;
    stubEnv({ ...rest, S3_BUCKET: "", INNGEST_SIGNING_KEY: "", INNGEST_EVENT_KEY: "", SENDLINE_DATA_DIR: "/var/lib/sendline", INNGEST_DEV: "http://inngest:8288" });
    setDatabase(migrated);
    vi.spyOn(process, "once").mockImplementation(() => process);
    await expect(register()).resolves.toBeUndefined();
  });

  it("refuses a production server whose database lacks the code's migrations", async () => {
    stubEnv(PRODUCTION_ENV);
    setDatabase(empty);
    const { printed, exitCode } = await refusedStart();
    expect(exitCode).toBe(1);
    expect(printed).toMatch(/the database schema has never been migrated but this code needs \d{4}_\w+ \(\d+ migrations are pending\): run `npm run db:migrate`/);
  });

  it("logs the problem in development and starts", async () => {
    vi.stubEnv("NEXT_RUNTIME", "nodejs");
    vi.stubEnv("NODE_ENV", "development");
    vi.stubEnv("SMS_PROVIDER", "pigeon");
    const lines: string[] = [];
    const restore = captureLogs({ write: (line: string) => void lines.push(line) });
    try {
      await register();
    } finally {
      restore();
    }
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: "warn", msg: expect.stringContaining('SMS_PROVIDER="pigeon" is not one of: outbox, twilio') }),
    ]);
  });

  it("starts a fully configured production server on a migrated database quietly", async () => {
    stubEnv(PRODUCTION_ENV);
    setDatabase(migrated);
    vi.spyOn(process, "once").mockImplementation(() => process);
    await expect(register()).resolves.toBeUndefined();
  });
});
