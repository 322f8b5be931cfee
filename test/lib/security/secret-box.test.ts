import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openSecret, sealSecret, sealedKeyId, SecretBoxError, secretKeys } from "@/lib/security/secret-box";

const key = (fill: number) => Buffer.alloc(32, fill).toString("base64");
const keys = (...fills: number[]) => secretKeys({ ENCRYPTION_KEYS: fills.map(key).join(",") });

describe("sealSecret / openSecret", () => {
  it("round-trips a secret, and two seals of the same secret differ (a fresh IV each time)", () => {
    const box = keys(1);
    const a = sealSecret("app-password", "mailbox:1", box);
    const b = sealSecret("app-password", "mailbox:1", box);
    expect(a.sealed).not.toBe(b.sealed);
    expect(a.sealed).not.toContain("app-password");
    expect(openSecret(a.sealed, "mailbox:1", box)).toBe("app-password");
    expect(sealedKeyId(a.sealed)).toBe(a.keyId);
  });

  it("does not open a value moved to another row (the context is authenticated)", () => {
    const box = keys(1);
    const { sealed } = sealSecret("token", "mailbox:1", box);
    expect(() => openSecret(sealed, "mailbox:2", box)).toThrow(SecretBoxError);
  });

  it("does not open an altered value", () => {
    const box = keys(1);
    const { sealed } = sealSecret("token", "mailbox:1", box);
    const parts = sealed.split(".");
    parts[4] = Buffer.from("tampered").toString("base64url");
    expect(() => openSecret(parts.join("."), "mailbox:1", box)).toThrow("does not open");
    expect(() => openSecret("plain text", "mailbox:1", box)).toThrow("not a sealed secret");
  });

  it("rotates: the new key seals, the old one still opens what it sealed, and a removed key is named", () => {
    const old = keys(1);
    const { sealed, keyId } = sealSecret("token", "mailbox:1", old);
    const rotated = keys(2, 1);
    expect(openSecret(sealed, "mailbox:1", rotated)).toBe("token");
    expect(sealSecret("token", "mailbox:1", rotated).keyId).not.toBe(keyId);
    expect(() => openSecret(sealed, "mailbox:1", keys(2))).toThrow(`sealed with key ${keyId}, which is no longer configured`);
  });

  it("refuses a key that is not 32 bytes", () => {
    expect(() => secretKeys({ ENCRYPTION_KEYS: "c2hvcnQ=" })).toThrow("got 5 bytes");
  });

  it("uses a persisted key in development, the same after a restart", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-box-"));
    const { sealed } = sealSecret("token", "mailbox:1", secretKeys({ SENDLINE_DATA_DIR: dir }));
    expect(openSecret(sealed, "mailbox:1", secretKeys({ SENDLINE_DATA_DIR: dir }))).toBe("token");
    expect(fs.statSync(path.join(dir, "encryption-key")).mode & 0o777).toBe(0o600);
  });

  it("refuses to invent a key in production", () => {
    expect(() => secretKeys({ NODE_ENV: "production" })).toThrow("ENCRYPTION_KEYS is not set");
  });
});
