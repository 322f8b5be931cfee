import { describe, expect, it } from "vitest";
import { messageIdList, normaliseMessageId, threadRoot } from "@/core/mailbox/message-id";

describe("normaliseMessageId", () => {
  it.each([
    ["<abc@Example.COM>", "abc@example.com"],
    ["  <ABC@x.org> ", "ABC@x.org"],
    ["abc@x.org", "abc@x.org"],
    ["<>", null],
    ["", null],
    [null, null],
  ])("%s → %s", (raw, expected) => expect(normaliseMessageId(raw)).toBe(expected));
});

describe("threadRoot", () => {
  it("is the first id of References, whatever the reply", () => {
    expect(threadRoot(messageIdList("<a@x> <b@x>"), messageIdList("<b@x>"), "c@x")).toBe("a@x");
  });
  it("is the replied-to message without References", () => expect(threadRoot([], messageIdList("<b@x>"), "c@x")).toBe("b@x"));
  it("is the message itself when it starts the thread", () => expect(threadRoot([], [], "c@x")).toBe("c@x"));
  it("reads mailparser's array form", () => expect(messageIdList(["<a@X>", "<b@x>"])).toEqual(["a@x", "b@x"]));
});
