import { describe, expect, it } from "vitest";
import { MAX_PUSH_PAYLOAD_BYTES, pushPayload } from "@/lib/providers/push/push-payload";

const base = { workspaceId: "w", messageId: "m", title: "Title", url: null, reportUrl: "https://x.example/t/push/t" };

describe("pushPayload", () => {
  it("keeps a short body whole", () => {
    expect(JSON.parse(pushPayload({ ...base, body: "Hello \"you\"\n" }))).toEqual({ v: 1, messageId: "m", title: "Title", body: 'Hello "you"\n', url: null, report: base.reportUrl });
  });

  it.each([
    ["ASCII", "a".repeat(10_000)],
    ["characters JSON escapes", '"\n\\'.repeat(3_000)],
    ["4-byte emoji (never split)", "😀".repeat(2_000)],
  ])("cuts a long body of %s to fit 4 KB of encrypted payload, with an ellipsis", (_case, body) => {
    const payload = pushPayload({ ...base, body });
    expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(MAX_PUSH_PAYLOAD_BYTES);
    expect(Buffer.byteLength(payload)).toBeGreaterThan(MAX_PUSH_PAYLOAD_BYTES - 16);
    const parsed = JSON.parse(payload) as { body: string };
    expect(parsed.body.endsWith("…")).toBe(true);
    expect(body.startsWith(parsed.body.slice(0, -1))).toBe(true);
  });

  it("refuses a title that alone overflows the payload", () => {
    expect(() => pushPayload({ ...base, title: "t".repeat(4_000), body: "b" })).toThrow(/do not fit in 4 KB/);
  });
});
