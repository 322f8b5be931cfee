import { describe, expect, it } from "vitest";
import { signRestoreToken, verifyRestoreToken } from "@/lib/lifecycle/restore-token";
import { signTrackingToken } from "@/lib/tracking/tracking-token";

const secret = { current: Buffer.from("a".repeat(32)), fallback: null };
const rotated = { current: Buffer.from("b".repeat(32)), fallback: Buffer.from("a".repeat(32)) };
const erasureId = "0195c2a0-1234-7000-8000-00000000abcd";

describe("restore tokens", () => {
  it("name the erasure they were signed for, also while the secret is being rotated", () => {
    const token = signRestoreToken(erasureId, secret);
    expect(verifyRestoreToken(token, secret)).toEqual({ erasureId });
    expect(verifyRestoreToken(token, rotated)).toEqual({ erasureId });
  });

  it.each([
    ["altered", (token: string) => `${token.slice(0, 3)}${token[3] === "A" ? "B" : "A"}${token.slice(4)}`],
    ["truncated", (token: string) => token.slice(0, -2)],
    ["without its MAC", (token: string) => token.split(".")[0]!],
    ["junk", () => "not-a-token"],
    ["a tracking token for the same id", () => signTrackingToken({ action: "u", messageId: erasureId }, secret)],
  ])("refuse a token %s", (_label, change) => {
    expect(verifyRestoreToken(change(signRestoreToken(erasureId, secret)), secret)).toBeNull();
  });

  it("refuse another secret's token", () => {
    expect(verifyRestoreToken(signRestoreToken(erasureId, secret), { current: Buffer.from("c".repeat(32)), fallback: null })).toBeNull();
  });
});
