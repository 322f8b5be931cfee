import { describe, expect, it } from "vitest";
import { normalizeEmail } from "@/core/contacts/normalize-email";

describe("normalizeEmail", () => {
  it.each([
    ["Ada@Example.COM", "ada@example.com"],
    ["  ada@example.com \t", "ada@example.com"],
    ["first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk"],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ["JOSÉ@Exämple.de", "josé@exämple.de"],
    ["jose\u0301@example.com", "jos\u00e9@example.com"], // NFD input, NFC stored
    ["用户@例子.广告", "用户@例子.广告"],
    ["a@b.co", "a@b.co"],
  ])("accepts %j as %j", (input, expected) => {
    expect(normalizeEmail(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["", "is empty"],
    ["   ", "is empty"],
    ["ada", "is not an email address"],
    ["ada@", "is not an email address"],
    ["@example.com", "is not an email address"],
    ["ada lovelace@example.com", "is not an email address"],
    ["ada@exa mple.com", "has an invalid domain"],
    ["ada..lovelace@example.com", "is not an email address"],
    [".ada@example.com", "is not an email address"],
    ["ada.@example.com", "is not an email address"],
    ["ada@example", "has an invalid domain"],
    ["ada@example.", "has an invalid domain"],
    ["ada@-example.com", "has an invalid domain"],
    ["ada@example..com", "has an invalid domain"],
    ["ada@127.0.0.1", "has an invalid domain"],
    ["ada@[127.0.0.1]", "has an invalid domain"],
    ['"ada lovelace"@example.com', "is not an email address"],
    ["ada@example.com\u0000", "has an invalid domain"],
    ["ada@example.com,bob@example.com", "is not an email address"],
    ["<ada@example.com>", "is not an email address"],
    [`${"a".repeat(65)}@example.com`, "has a local part longer than 64 bytes"],
    [`${"é".repeat(33)}@example.com`, "has a local part longer than 64 bytes"],
    [`a@${"b".repeat(64)}.com`, "has an invalid domain"],
    [`a@${"b".repeat(250)}.com`, "is longer than 254 characters"],
  ])("rejects %j: %s", (input, reason) => {
    expect(normalizeEmail(input)).toEqual({ ok: false, reason });
  });
});
