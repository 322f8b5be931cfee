import { describe, expect, it } from "vitest";
import { inngestMode } from "@/lib/config/inngest-mode";

const env = (values: Record<string, string>) => values as unknown as NodeJS.ProcessEnv;

describe("inngestMode", () => {
  it.each([
    [{ INNGEST_DEV: "http://127.0.0.1:8288" }, { mode: "dev", serverUrl: "http://127.0.0.1:8288" }],
    [{ INNGEST_DEV: "1" }, { mode: "dev", serverUrl: "http://127.0.0.1:8288" }],
    [{ INNGEST_DEV: "0", INNGEST_SIGNING_KEY: "signkey-prod-x" }, { mode: "cloud", serverUrl: "https://api.inngest.com" }],
    [{ INNGEST_SIGNING_KEY: "signkey-prod-x", INNGEST_BASE_URL: "http://127.0.0.1:9999" }, { mode: "cloud", serverUrl: "http://127.0.0.1:9999" }],
    [{ NODE_ENV: "development" }, { mode: "cloud", serverUrl: "https://api.inngest.com" }],
  ])("%j → %j", (values, expected) => {
    expect(inngestMode(env(values))).toEqual(expected);
  });

  it("refuses to run a production server without a signing key", () => {
    expect(() => inngestMode(env({ NODE_ENV: "production" }))).toThrow(/refusing to serve Inngest functions unsigned/);
  });

  it("lets the production build itself proceed (next.config.js guards the build)", () => {
    expect(inngestMode(env({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build", INNGEST_SIGNING_KEY: "" }))).toMatchObject({ mode: "cloud" });
  });
});
