import { describe, expect, it } from "vitest";
import { canAdvance, predecessorsOf } from "@/core/messages/status";

describe("message status order", () => {
  it.each([
    ["queued", "sent", true],
    ["sent", "delivered", true],
    ["delivered", "opened", true],
    ["opened", "clicked", true],
    ["delivered", "bounced", true],
    ["opened", "complained", true],
    ["sent", "queued", false],
    ["clicked", "opened", false],
    ["opened", "delivered", false],
    ["bounced", "delivered", false],
    ["complained", "clicked", false],
    ["failed", "sent", false],
    ["suppressed", "sent", false],
    ["delivered", "delivered", false],
  ] as const)("%s → %s is %s", (from, to, allowed) => {
    expect(canAdvance(from, to)).toBe(allowed);
  });

  it("lists the statuses a move may start from", () => {
    expect(predecessorsOf("delivered").sort()).toEqual(["queued", "sending", "sent"]);
    expect(predecessorsOf("queued")).toEqual([]);
  });
});
