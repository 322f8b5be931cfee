import { describe, expect, it } from "vitest";
import { normalizePhone } from "@/core/contacts/normalize-phone";

describe("normalizePhone", () => {
  it.each([
    ["(415) 555-0123", "US", "+14155550123"],
    ["415.555.0123", "US", "+14155550123"],
    ["  +1 415 555 0123  ", "US", "+14155550123"],
    ["1 415 555 0123", "US", "+14155550123"],
    ["020 7946 0958", "GB", "+442079460958"], // national trunk 0 dropped
    ["0044 20 7946 0958", "GB", "+442079460958"], // international prefix from the UK
    ["011 44 20 7946 0958", "US", "+442079460958"], // international prefix from the US
    ["+44 20 7946 0958", "US", "+442079460958"], // international wins over the region
    ["+44 (0)20 7946 0958", "US", "+442079460958"],
    ["06 12 34 56 78", "FR", "+33612345678"],
    ["06 12 34 56 78", "fr", "+33612345678"],
    ["+33 6 12 34 56 78", null, "+33612345678"],
    ["４１５５５５０１２３", "US", "+14155550123"], // full-width digits
    ["+1\u00a0415\u00a0555\u00a00123", "US", "+14155550123"],
  ])("reads %j in %s as %s", (input, region, expected) => {
    expect(normalizePhone(input, region)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["", "US", "is empty"],
    ["abc", "US", "is not a phone number"],
    ["1-800-FLOWERS", "US", "is not a phone number"],
    ["+1 415 555 0123; DROP TABLE contacts", "US", "is not a phone number"],
    ["12", "US", "is not a valid number for US"],
    ["555-0123", "US", "is not a valid number for US"],
    ["+1 415 555 01234", "US", "is not a valid number for +1"],
    ["06 12 34 56 78", null, "needs a country code (e.g. +44…): the workspace has no default region"],
    ["06 12 34 56 78", "XX", "needs a country code (e.g. +44…): the workspace has no default region"],
    ["415 555 0123 ext. 12", "US", "has an extension, which E.164 cannot hold"],
    ["+1 415 555 0123 x9", "US", "has an extension, which E.164 cannot hold"],
  ])("rejects %j in %s: %s", (input, region, reason) => {
    expect(normalizePhone(input, region)).toEqual({ ok: false, reason });
  });
});
