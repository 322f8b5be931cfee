import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assertTrackingSecret, trackingSecret } from "@/lib/config/tracking-secret";

const env = (values: Record<string, string>) => values as unknown as NodeJS.ProcessEnv;
const SECRET = "s".repeat(32);
const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-tracking-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe("trackingSecret", () => {
  it("uses TRACKING_SECRET, and TRACKING_SECRET_FALLBACK while rotating", () => {
    expect(trackingSecret(env({ TRACKING_SECRET: SECRET, NODE_ENV: "production" }))).toEqual({ current: Buffer.from(SECRET), fallback: null });
    expect(trackingSecret(env({ TRACKING_SECRET: SECRET, TRACKING_SECRET_FALLBACK: "f".repeat(40) })).fallback).toEqual(Buffer.from("f".repeat(40)));
  });

  it("refuses a short secret", () => {
    expect(() => trackingSecret(env({ TRACKING_SECRET: "short" }))).toThrow(/at least 32 characters/);
  });

  it("refuses to start a production server without TRACKING_SECRET, saying what to set", () => {
    expect(() => assertTrackingSecret(env({ NODE_ENV: "production" }))).toThrow(/TRACKING_SECRET is not set/);
    expect(() => trackingSecret(env({ NODE_ENV: "production" }))).toThrow(/TRACKING_SECRET is not set/);
  });

  it("lets the production build itself proceed", () => {
    expect(() => assertTrackingSecret(env({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" }))).not.toThrow();
  });

  it("in development, creates one secret under the data directory and keeps using it", () => {
    const dir = tempDir();
    const first = trackingSecret(env({ NODE_ENV: "development", SENDLINE_DATA_DIR: dir }));
    const file = path.join(dir, "tracking-secret");
    expect(fs.readFileSync(file, "utf8")).toBe(first.current.toString("utf8"));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(trackingSecret(env({ NODE_ENV: "development", SENDLINE_DATA_DIR: dir })).current).toEqual(first.current);
  });

  it("in development, reads a secret another process already wrote (as after a restart)", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "tracking-secret"), "persisted-secret-persisted-secret\n");
    expect(trackingSecret(env({ NODE_ENV: "development", SENDLINE_DATA_DIR: dir })).current).toEqual(Buffer.from("persisted-secret-persisted-secret"));
  });
});
