import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_BUILD } from "next/constants.js";
import { afterEach, describe, expect, it } from "vitest";
import nextConfig from "@/next.config.js";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe("next.config.js", () => {
  it("fails a production build that would serve Inngest functions unsigned", () => {
    delete process.env.INNGEST_SIGNING_KEY;
    delete process.env.INNGEST_DEV;
    expect(() => nextConfig(PHASE_PRODUCTION_BUILD)).toThrow(/INNGEST_SIGNING_KEY is not set/);
  });

  it.each([
    ["a signing key", { INNGEST_SIGNING_KEY: "signkey-prod-abc" }],
    ["an explicit dev server", { INNGEST_DEV: "http://127.0.0.1:8288" }],
  ])("builds with %s", (_case, env) => {
    delete process.env.INNGEST_SIGNING_KEY;
    delete process.env.INNGEST_DEV;
    Object.assign(process.env, env);
    expect(nextConfig(PHASE_PRODUCTION_BUILD)).toMatchObject({ reactStrictMode: true });
  });

  it("never blocks the development server", () => {
    delete process.env.INNGEST_SIGNING_KEY;
    delete process.env.INNGEST_DEV;
    expect(() => nextConfig(PHASE_DEVELOPMENT_SERVER)).not.toThrow();
  });
});
