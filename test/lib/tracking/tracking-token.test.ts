import { describe, expect, it } from "vitest";
import type { TrackingSecret } from "@/lib/config/tracking-secret";
import { MAX_CLICK_URL_BYTES, signTrackingToken, type TrackingTarget, verifyTrackingToken } from "@/lib/tracking/tracking-token";

const secret: TrackingSecret = { current: Buffer.from("k".repeat(32)), fallback: null };
const other: TrackingSecret = { current: Buffer.from("o".repeat(32)), fallback: null };
const MESSAGE_ID = "0b9f6a4e-6f1c-4c35-9d0e-3f3b2a1c0d9e";

const open: TrackingTarget = { action: "o", messageId: MESSAGE_ID };
const click: TrackingTarget = { action: "c", messageId: MESSAGE_ID, url: "https://shop.example/p?id=7&utm_source=mail#top" };
const unsubscribe: TrackingTarget = { action: "u", messageId: MESSAGE_ID };

/** Flips one character of the token to another base64url character. */
function flip(token: string, index: number): string {
  const replacement = token[index] === "A" ? "B" : "A";
  return token.slice(0, index) + replacement + token.slice(index + 1);
}

describe("tracking tokens", () => {
  it.each([open, click, unsubscribe])("round-trips %j", (target) => {
    const token = signTrackingToken(target, secret);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(verifyTrackingToken(token, target.action, secret)).toEqual(target);
  });

  it("is compact and deterministic, so re-rendering a message gives the same links", () => {
    const token = signTrackingToken(open, secret);
    expect(token.length).toBeLessThanOrEqual(50);
    expect(signTrackingToken(open, secret)).toBe(token);
  });

  it("carries a click URL exactly, including non-ASCII characters", () => {
    const target: TrackingTarget = { action: "c", messageId: MESSAGE_ID, url: "https://example.com/café?q=ü" };
    expect(verifyTrackingToken(signTrackingToken(target, secret), "c", secret)).toEqual(target);
  });

  it("rejects a token for another action (an open token cannot unsubscribe, a click token cannot open)", () => {
    expect(verifyTrackingToken(signTrackingToken(open, secret), "u", secret)).toBeNull();
    expect(verifyTrackingToken(signTrackingToken(click, secret), "o", secret)).toBeNull();
    expect(verifyTrackingToken(signTrackingToken(unsubscribe, secret), "c", secret)).toBeNull();
  });

  it("rejects every single-character change", () => {
    const token = signTrackingToken(click, secret);
    for (let index = 0; index < token.length; index++) {
      if (token[index] === ".") continue;
      expect(verifyTrackingToken(flip(token, index), "c", secret), `changed at ${index}`).toBeNull();
    }
  });

  it("rejects truncated tokens", () => {
    const token = signTrackingToken(click, secret);
    for (let length = 0; length < token.length; length++) {
      expect(verifyTrackingToken(token.slice(0, length), "c", secret)).toBeNull();
    }
  });

  it("rejects a click token whose URL was swapped for another (payload re-encoded, old MAC kept)", () => {
    const [, mac] = signTrackingToken(click, secret).split(".");
    const forged = Buffer.concat([Buffer.from([1, "c".charCodeAt(0)]), Buffer.from(MESSAGE_ID.replace(/-/g, ""), "hex"), Buffer.from("https://evil.example/")]);
    expect(verifyTrackingToken(`${forged.toString("base64url")}.${mac}`, "c", secret)).toBeNull();
  });

  it.each([
    ["", "empty"],
    ["abc", "no signature"],
    ["a.b.c", "three parts"],
    ["!!!!.????", "not base64url"],
  ])("rejects %j (%s)", (token) => {
    expect(verifyTrackingToken(token, "o", secret)).toBeNull();
  });

  it("rejects characters that a lenient base64 decoder would skip", () => {
    const [payload, mac] = signTrackingToken(open, secret).split(".");
    expect(verifyTrackingToken(`${payload}=.${mac}`, "o", secret)).toBeNull();
    expect(verifyTrackingToken(`${payload}.${mac}%`, "o", secret)).toBeNull();
  });

  it("rejects tokens signed with another secret, and accepts the fallback while rotating", () => {
    const token = signTrackingToken(open, other);
    expect(verifyTrackingToken(token, "o", secret)).toBeNull();
    expect(verifyTrackingToken(token, "o", { current: secret.current, fallback: other.current })).toEqual(open);
  });

  it("refuses to sign what it could not verify", () => {
    expect(() => signTrackingToken({ action: "o", messageId: "not-a-uuid" }, secret)).toThrow(/message uuid/);
    expect(() => signTrackingToken({ action: "c", messageId: MESSAGE_ID, url: "" }, secret)).toThrow(RangeError);
    expect(() => signTrackingToken({ action: "c", messageId: MESSAGE_ID, url: `https://x.example/${"a".repeat(MAX_CLICK_URL_BYTES)}` }, secret)).toThrow(RangeError);
  });

  it("never verifies a click token that points anywhere but http(s)", () => {
    const token = signTrackingToken({ action: "c", messageId: MESSAGE_ID, url: "javascript:alert(1)" }, secret);
    expect(verifyTrackingToken(token, "c", secret)).toBeNull();
  });
});
