import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { configurationReport } from "@/lib/config/configuration-report";
import { ConfigError, envValue, readEnv } from "@/core/config/env";
import { ENV_NAMES, envSchema } from "@/core/config/env-schema";
import { ENV_TABLE_END, ENV_TABLE_START, withEnvTable } from "@/lib/config/env-table";

const ROOT = path.resolve(__dirname, "../../..");

describe("envValue", () => {
  it.each([
    ["a default for an unset variable", "CAMPAIGN_CHUNK_SIZE", {}, 1000],
    ["a blank value counts as unset", "CAMPAIGN_CHUNK_SIZE", { CAMPAIGN_CHUNK_SIZE: "  " }, 1000],
    ["numbers are numbers", "EMAIL_PROVIDER_RPS", { EMAIL_PROVIDER_RPS: "0.5" }, 0.5],
    ["choices forgive case and spaces", "EMAIL_PROVIDER", { EMAIL_PROVIDER: " Resend " }, "resend"],
    ["text is trimmed", "TWILIO_FROM", { TWILIO_FROM: " +15005550006 " }, "+15005550006"],
    ["flags read 1 as true", "ENGINE_ALLOW_NON_LOOPBACK", { ENGINE_ALLOW_NON_LOOPBACK: "1" }, true],
    ["an unset optional text is undefined", "RESEND_API_KEY", {}, undefined],
  ])("%s", (_name, variable, env, expected) => {
    expect(envValue(variable as never, env)).toEqual(expected);
  });

  it.each([
    ["CAMPAIGN_CHUNK_SIZE", "abc", 'CAMPAIGN_CHUNK_SIZE="abc" must be a whole number from 1 to 10000'],
    ["CAMPAIGN_CHUNK_SIZE", "2.5", 'CAMPAIGN_CHUNK_SIZE="2.5" must be a whole number from 1 to 10000'],
    ["EMAIL_BATCH_SIZE", "500", 'EMAIL_BATCH_SIZE="500" must be a whole number from 1 to 100'],
    ["SMS_PROVIDER", "vonage", 'SMS_PROVIDER="vonage" is not one of: outbox, twilio'],
    ["PUBLIC_URL", "mail.example.com", 'PUBLIC_URL="mail.example.com" must be an http(s) URL'],
    ["DATABASE_URL", "mysql://u:p@h/db", "DATABASE_URL=(set) must be a postgres:// URL"],
  ])("%s=%j is refused by name, with what is expected", (variable, value, message) => {
    const read = () => envValue(variable as never, { [variable]: value });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(message);
  });

  it("never repeats a secret's value in its error", () => {
    expect(() => envValue("DATABASE_URL", { DATABASE_URL: "mysql://user:hunter2@db/x" })).not.toThrow(/hunter2/);
  });
});

describe("readEnv", () => {
  it("reports every unusable variable, each by name, and keeps the usable ones", () => {
    const { values, issues } = readEnv({ CAMPAIGN_CHUNK_SIZE: "lots", SMS_PROVIDER: "pigeon", EMAIL_BATCH_SIZE: "50" });
    expect(issues.map((issue) => issue.variable)).toEqual(["SMS_PROVIDER", "CAMPAIGN_CHUNK_SIZE"]);
    expect(values.EMAIL_BATCH_SIZE).toBe(50);
    expect(values.PORT).toBe(3000);
  });

  it("is the same schema as envSchema, whole", () => {
    expect(envSchema.safeParse({}).success).toBe(true);
    expect(envSchema.safeParse({ PORT: "http" }).success).toBe(false);
  });
});

describe("configurationReport", () => {
  const text = (env: Record<string, string>) => configurationReport(env).lines.map((line) => `${line.area}: ${line.text}`);

  it("says what the embedded defaults are and how to switch", () => {
    expect(text({})).toEqual(
      expect.arrayContaining([
        "Email: outbox (set RESEND_API_KEY to send through Resend)",
        "SMS: outbox (set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM to send through Twilio)",
        "Push: outbox (set WEB_PUSH_VAPID_PUBLIC_KEY and WEB_PUSH_VAPID_PRIVATE_KEY for Web Push, FCM_SERVICE_ACCOUNT for FCM)",
        expect.stringMatching(/^Database: embedded PGlite/),
        expect.stringMatching(/^Links: tracking and unsubscribe links point at http:\/\/localhost:3000/),
        "AI: recommendations from heuristics over the rollups (set OPENAI_API_KEY to ask OpenAI)",
        "Seals: campaign metrics signed with a development key in .data/seal-key.pem (set SEAL_SIGNING_KEY in production)",
      ]),
    );
  });

  it("names what a half-configured Twilio lacks, and leaves email alone", () => {
    const report = configurationReport({ TWILIO_AUTH_TOKEN: "only-the-webhook-token" });
    expect(report.lines).toContainEqual({
      area: "SMS",
      state: "half",
      text: "Twilio is half-configured: TWILIO_ACCOUNT_SID, TWILIO_FROM are missing (SMS sends fail until set; other channels are unaffected)",
    });
    expect(report.lines.find((line) => line.area === "Email")).toMatchObject({ state: "local" });
  });

  it.each([
    [{ RESEND_API_KEY: "re_secret_123456" }, "Email", "ready", "Resend"],
    [{ EMAIL_PROVIDER: "resend" }, "Email", "half", "EMAIL_PROVIDER=resend but RESEND_API_KEY is missing: email sends fail"],
    [{ TWILIO_ACCOUNT_SID: "AC1", TWILIO_AUTH_TOKEN: "t0k3n-secret", TWILIO_FROM: "+15005550006" }, "SMS", "ready", "Twilio, from +15005550006"],
    [{ WEB_PUSH_VAPID_PUBLIC_KEY: "pub", WEB_PUSH_VAPID_PRIVATE_KEY: "priv" }, "Push", "half", "Web Push; FCM needs FCM_SERVICE_ACCOUNT (pushes to FCM tokens fail until set)"],
    [{ PUSH_PROVIDER: "services", FCM_SERVICE_ACCOUNT: "{}" }, "Push", "ready", "Web Push and FCM"],
    [{ S3_BUCKET: "b", S3_REGION: "eu-west-1" }, "Files", "half", "S3 is half-configured: S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY are missing (uploads fail until set)"],
    [{ OPENAI_API_KEY: "sk-test-secret", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" }, "AI", "ready", "OpenAI (gpt-4o-mini at 127.0.0.1:9/v1), heuristics when it cannot answer"],
    [{ NODE_ENV: "production" }, "Seals", "off", "off: set SEAL_SIGNING_KEY (Ed25519, PKCS#8 PEM) to seal campaign metrics"],
    [{ PORT: "3104" }, "Links", "local", "tracking and unsubscribe links point at http://localhost:3104, signed with a development key in .data/tracking-secret"],
  ])("%j → %s is %s", (env, area, state, line) => {
    expect(configurationReport(env).lines).toContainEqual({ area, state, text: line });
  });

  it("never prints a secret's value", () => {
    const secrets = { RESEND_API_KEY: "re_secret_123456", TWILIO_AUTH_TOKEN: "t0k3n-secret", DATABASE_URL: "postgres://app:pa55word@db.internal/app" };
    const printed = JSON.stringify(configurationReport(secrets));
    for (const value of ["re_secret_123456", "t0k3n-secret", "pa55word"]) expect(printed).not.toContain(value);
    expect(printed).toContain("PostgreSQL at db.internal/app");
  });

  it("lists unusable values as issues instead of guessing", () => {
    const report = configurationReport({ EMAIL_PROVIDER: "sendgrid" });
    expect(report.issues).toEqual([{ variable: "EMAIL_PROVIDER", message: 'EMAIL_PROVIDER="sendgrid" is not one of: outbox, resend, smtp' }]);
    expect(report.lines.some((line) => line.area === "Email")).toBe(false);
  });
});

describe("the schema is the whole environment", () => {
  /** Variables Node, Next and the test runner own; Sendline reads them but does not configure them. */
  const PLATFORM = new Set(["NODE_ENV", "NEXT_PHASE", "NEXT_RUNTIME", "INNGEST_ALLOW_IN_BAND_SYNC"]);

  function sources(dir: string): string[] {
    return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) return sources(relative);
      return /\.(ts|tsx|js|mjs)$/.test(entry.name) ? [relative] : [];
    });
  }

  it("declares every variable the app, its scripts and the engine read", () => {
    const files = ["app", "lib", "inngest", "db", "scripts", "engine"].flatMap(sources).concat(["proxy.ts", "next.config.js", "instrumentation.ts", "instrumentation-node.ts"]);
    const read = new Set<string>();
    for (const file of files) {
      const text = fs.readFileSync(path.join(ROOT, file), "utf8");
      for (const match of text.matchAll(/\b(?:process\.env|env)\.([A-Z][A-Z0-9_]+)|envValue\("([A-Z][A-Z0-9_]+)"/g)) read.add(match[1] ?? match[2]!);
    }
    const undeclared = [...read].filter((name) => !PLATFORM.has(name) && !(ENV_NAMES as string[]).includes(name));
    expect(undeclared).toEqual([]);
  });

  it("is what the README's table says", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    expect(readme).toContain(ENV_TABLE_START);
    expect(readme).toContain(ENV_TABLE_END);
    expect(withEnvTable(readme), "run `npm run docs:env`").toBe(readme);
  });
});
