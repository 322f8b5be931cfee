import { describe, expect, it } from "vitest";
import { normalizeTimezone } from "@/core/contacts/normalize-timezone";

describe("normalizeTimezone", () => {
  it.each([
    ["Europe/Paris", "Europe/Paris"],
    ["europe/paris", "Europe/Paris"],
    [" America/New_York ", "America/New_York"],
    ["America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"],
    ["UTC", "UTC"],
    ["utc", "UTC"],
    ["Etc/GMT+5", "Etc/GMT+5"],
    ["US/Pacific", "US/Pacific"],
  ])("accepts %j as %j", (input, expected) => {
    expect(normalizeTimezone(input)).toEqual({ ok: true, value: expected });
  });

  it.each([[""], ["Mars/Base"], ["Europe/Atlantis"], ["+05:00"], ["GMT+5:30"], ["Europe/Paris; DROP"], ["../../etc/passwd"], ["Paris"]])(
    "rejects %j",
    (input) => {
      expect(normalizeTimezone(input).ok).toBe(false);
    },
  );
});
