import { describe, expect, it } from "vitest";
import { smsKeyword } from "@/lib/webhooks/sms-keyword";

describe("smsKeyword", () => {
  it.each([
    ["STOP", { kind: "opt-out", word: "STOP" }],
    ["  stop\n", { kind: "opt-out", word: "STOP" }],
    ["StopAll", { kind: "opt-out", word: "STOPALL" }],
    ["unsubscribe", { kind: "opt-out", word: "UNSUBSCRIBE" }],
    ["cancel", { kind: "opt-out", word: "CANCEL" }],
    ["End", { kind: "opt-out", word: "END" }],
    ["QUIT", { kind: "opt-out", word: "QUIT" }],
    ["start", { kind: "opt-in", word: "START" }],
    ["Unstop", { kind: "opt-in", word: "UNSTOP" }],
    ["stop it", null],
    ["STOP.", null],
    ["hello", null],
    ["", null],
  ])("%j → %j", (body, expected) => {
    expect(smsKeyword(body)).toEqual(expected);
  });
});
