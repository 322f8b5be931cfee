import { describe, expect, it } from "vitest";
import { pushReportUrl, signPushReportToken, verifyPushReportToken } from "@/lib/push/push-report-token";
import { signTrackingToken } from "@/lib/tracking/tracking-token";

const secret = { current: Buffer.from("a".repeat(32)), fallback: null };
const rotated = { current: Buffer.from("b".repeat(32)), fallback: Buffer.from("a".repeat(32)) };
const messageId = "0f0e0d0c-0b0a-4909-8807-060504030201";

describe("push report tokens", () => {
  it("name exactly the message they were signed for, also under the fallback key while rotating", () => {
    const token = signPushReportToken(messageId, secret);
    expect(verifyPushReportToken(token, secret)).toBe(messageId);
    expect(verifyPushReportToken(token, rotated)).toBe(messageId);
    expect(verifyPushReportToken(token, { current: Buffer.from("c".repeat(32)), fallback: null })).toBeNull();
  });

  it.each([
    ["a changed message id", (token: string) => `${Buffer.from([1, ...Buffer.alloc(16, 7)]).toString("base64url")}.${token.split(".")[1]}`],
    ["a truncated signature", (token: string) => token.slice(0, -2)],
    ["junk characters", (token: string) => `${token}!`],
    ["an extra part", (token: string) => `${token}.x`],
    ["nothing", () => ""],
  ])("refuse %s", (_case, tamper) => {
    expect(verifyPushReportToken(tamper(signPushReportToken(messageId, secret)), secret)).toBeNull();
  });

  it("are not interchangeable with email tracking tokens signed by the same secret", () => {
    expect(verifyPushReportToken(signTrackingToken({ action: "o", messageId }, secret), secret)).toBeNull();
  });

  it("build the service worker's report URL under the public URL", () => {
    expect(pushReportUrl(messageId, "https://mail.example.com/")).toMatch(/^https:\/\/mail\.example\.com\/t\/push\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });
});
