import { describe, expect, it } from "vitest";
import { splitTags } from "@/lib/imports/split-tags";

const split = (...cells: string[]) => {
  const tags: string[] = [];
  for (const cell of cells) splitTags(cell, tags);
  return tags;
};

describe("splitTags", () => {
  it.each([
    ["* myContacts ::: Friends ::: * starred", ["Friends", "starred"]], // Google: system groups marked "* ", myContacts is everyone
    ['"Customers","VIP"', ["Customers", "VIP"]], // Mailchimp
    ['"Say ""hi""",Other', ['Say "hi"']], // quoted items only, quotes doubled inside
    ["Customers;VIP", ["Customers", "VIP"]], // Outlook, HubSpot
    ["a, b | c", ["a", "b", "c"]],
    ["My Contacts", []],
    ["tab\there", ["tab here"]],
    [`${"x".repeat(101)};ok`, ["ok"]],
  ])("%j → %j", (cell, tags) => {
    expect(split(cell)).toEqual(tags);
  });

  it("merges several cells without repeats, in order", () => {
    expect(split("VIP;Friends", "Friends ::: Family")).toEqual(["VIP", "Friends", "Family"]);
  });
});
