import { describe, expect, it } from "vitest";
import { isProductionServer, productionProblems } from "@/lib/config/production-problems";

const COMPLETE = {
  NODE_ENV: "production",
  DATABASE_URL: "postgres://sendline@db.internal:5432/sendline",
  SENDLINE_DATA_DIR: "/var/lib/sendline",
  PUBLIC_URL: "https://mail.example.com",
  TRACKING_SECRET: "t".repeat(32),
  ENCRYPTION_KEYS: Buffer.alloc(32, 7).toString("base64"),
  INNGEST_SIGNING_KEY: "signkey-prod-00112233",
  INNGEST_EVENT_KEY: "event-key",
};

describe("productionProblems", () => {
  it.each([
    ["nothing, when every requirement is met", {}, []],
    ["a tracking key too short to resist guessing", { TRACKING_SECRET: "short" }, ["TRACKING_SECRET is shorter than 32 characters"]],
    ["no key to seal mailbox credentials with", { ENCRYPTION_KEYS: "" }, ["ENCRYPTION_KEYS is not set: connected mailboxes' passwords and tokens need a stable key to be sealed with"]],
    ["a sealing key of the wrong size", { ENCRYPTION_KEYS: "c2hvcnQ=" }, ["ENCRYPTION_KEYS: each key must be 32 bytes in base64 (`openssl rand -base64 32`), got 5 bytes"]],
    [
      "S3 set half-way",
      { S3_BUCKET: "uploads", S3_REGION: "eu-west-1" },
      ["S3_BUCKET is set but S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY are not: uploads would fail"],
    ],
    ["an unusable value, by name", { DATABASE_URL: "mysql://x" }, ['DATABASE_URL=(set) must be a postgres:// URL']],
    ["no Inngest keys needed against a dev server", { INNGEST_SIGNING_KEY: "", INNGEST_EVENT_KEY: "", INNGEST_DEV: "http://inngest:8288" }, []],
  ])("reports %s", (_case, overrides, expected) => {
    expect(productionProblems({ ...COMPLETE, ...overrides })).toEqual(expected);
  });
});

describe("isProductionServer", () => {
  it.each([
    [{ NODE_ENV: "production" }, true],
    [{ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" }, false],
    [{ NODE_ENV: "development" }, false],
  ])("%j → %s", (env, expected) => {
    expect(isProductionServer(env)).toBe(expected);
  });
});
