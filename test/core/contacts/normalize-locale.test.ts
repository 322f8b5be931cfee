import { describe, expect, it } from "vitest";
import { normalizeLocale } from "@/core/contacts/normalize-locale";

describe("normalizeLocale", () => {
  it.each([
    ["en", "en"],
    ["en-us", "en-US"],
    ["en_GB", "en-GB"],
    ["zh_hant_tw", "zh-Hant-TW"],
    ["PT-br", "pt-BR"],
    ["es-419", "es-419"],
  ])("accepts %j as %j", (input, expected) => {
    expect(normalizeLocale(input)).toEqual({ ok: true, value: expected });
  });

  it.each([[""], ["en-"], ["e"], ["en US"], ["en-US'--"], ["x".repeat(40)]])("rejects %j", (input) => {
    expect(normalizeLocale(input).ok).toBe(false);
  });
});
