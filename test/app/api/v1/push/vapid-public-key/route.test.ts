import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import webpush from "web-push";
import { afterEach, describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/push/vapid-public-key/route";

const NAMES = ["WEB_PUSH_VAPID_PUBLIC_KEY", "WEB_PUSH_VAPID_PRIVATE_KEY", "WEB_PUSH_VAPID_SUBJECT", "SENDLINE_DATA_DIR", "NODE_ENV"] as const;
const saved = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));
const env = process.env as Record<string, string | undefined>;

afterEach(() => {
  for (const name of NAMES) {
    if (saved[name] === undefined) delete env[name];
    else env[name] = saved[name];
  }
});

describe("GET /api/v1/push/vapid-public-key", () => {
  it("answers the configured public key to any origin, without an API key", async () => {
    const keys = webpush.generateVAPIDKeys();
    Object.assign(env, { WEB_PUSH_VAPID_PUBLIC_KEY: keys.publicKey, WEB_PUSH_VAPID_PRIVATE_KEY: keys.privateKey });
    const response = GET();
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(await response.json()).toEqual({ publicKey: keys.publicKey });
  });

  it("in development, generates one pair under the data directory and keeps it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-vapid-"));
    delete env.WEB_PUSH_VAPID_PUBLIC_KEY;
    delete env.WEB_PUSH_VAPID_PRIVATE_KEY;
    env.SENDLINE_DATA_DIR = dir;
    const first = (await GET().json()) as { publicKey: string };
    expect(Buffer.from(first.publicKey, "base64url")).toHaveLength(65);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "vapid-keys.json"), "utf8"))).toMatchObject({ publicKey: first.publicKey });
    expect(((await GET().json()) as { publicKey: string }).publicKey).toBe(first.publicKey);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ["no keys in production", { NODE_ENV: "production", WEB_PUSH_VAPID_SUBJECT: "mailto:ops@example.com" }, /WEB_PUSH_VAPID_PUBLIC_KEY and WEB_PUSH_VAPID_PRIVATE_KEY/],
    ["no subject in production", { NODE_ENV: "production" }, /WEB_PUSH_VAPID_SUBJECT/],
    ["half a pair", { WEB_PUSH_VAPID_PUBLIC_KEY: webpush.generateVAPIDKeys().publicKey }, /WEB_PUSH_VAPID_PRIVATE_KEY must be/],
    ["a key of the wrong size", { WEB_PUSH_VAPID_PUBLIC_KEY: "AAAA", WEB_PUSH_VAPID_PRIVATE_KEY: webpush.generateVAPIDKeys().privateKey }, /65 bytes/],
  ])("answers 503 naming the variable for %s, never a value", async (_case, values, message) => {
    delete env.WEB_PUSH_VAPID_PUBLIC_KEY;
    delete env.WEB_PUSH_VAPID_PRIVATE_KEY;
    delete env.WEB_PUSH_VAPID_SUBJECT;
    Object.assign(env, values);
    const response = GET();
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: "not_configured", message: expect.stringMatching(message) });
  });
});
