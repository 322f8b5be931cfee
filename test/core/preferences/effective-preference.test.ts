import { describe, expect, it } from "vitest";
import { type CategoryRule, type ChannelChoices, effectivePreference, preferenceBlockReason } from "@/core/preferences/effective-preference";
import { CATEGORY_KEY_PATTERN, unknownCategoryMessage } from "@/core/preferences/category-key";

const billing: CategoryRule = { key: "billing", required: false, channelDefaults: {} };
const marketing: CategoryRule = { key: "marketing", required: false, channelDefaults: { sms: false } };
const security: CategoryRule = { key: "security", required: true, channelDefaults: { email: false } };

describe("effectivePreference: the one rule every send path and the preference matrix use", () => {
  it.each<[string, CategoryRule | null, "email" | "sms", ChannelChoices, boolean, string]>([
    ["uncategorised, no choice: on", null, "email", {}, true, "workspace_default"],
    ["uncategorised follows the channel-wide choice", null, "email", { channelWide: false }, false, "contact_channel"],
    ["uncategorised ignores a category choice (there is none to apply)", null, "email", { category: false }, true, "workspace_default"],
    ["a category with no default and no choice: on", billing, "email", {}, true, "workspace_default"],
    ["the category's default for the channel (SMS opt-in)", marketing, "sms", {}, false, "workspace_default"],
    ["a channel the default leaves out is on", marketing, "email", {}, true, "workspace_default"],
    ["the contact's category choice beats the default", marketing, "sms", { category: true }, true, "contact_category"],
    ["the contact's category choice off", billing, "email", { category: false }, false, "contact_category"],
    ["the channel-wide choice applies where no category choice is", billing, "email", { channelWide: false }, false, "contact_channel"],
    ["the channel-wide choice beats the category's default", marketing, "sms", { channelWide: true }, true, "contact_channel"],
    ["the category choice beats the channel-wide one", billing, "email", { channelWide: false, category: true }, true, "contact_category"],
    ["required always passes, whatever the choices", security, "email", { channelWide: false, category: false }, true, "required"],
    ["required passes even against a default of off", security, "email", {}, true, "required"],
  ])("%s", (_name, category, channel, choices, enabled, origin) => {
    expect(effectivePreference(category, channel, choices)).toEqual({ enabled, origin });
  });

  it.each<[CategoryRule | null, "email" | "sms", ChannelChoices, string | null]>([
    [billing, "sms", { category: false }, "The contact opted out of billing on SMS"],
    [billing, "email", { channelWide: false }, "The contact opted out of Email"],
    [null, "sms", { channelWide: false }, "The contact opted out of SMS"],
    [marketing, "sms", {}, "marketing is off on SMS unless the contact opts in"],
    [security, "email", { category: false }, null],
    [billing, "email", {}, null],
  ])("says why a message is blocked: %j on %s with %j → %s", (category, channel, choices, reason) => {
    expect(preferenceBlockReason(category, channel, choices)).toBe(reason);
  });
});

describe("category keys", () => {
  it.each([
    ["billing", true],
    ["product-updates", true],
    ["a_1", true],
    ["Billing", false],
    ["-lead", false],
    ["with space", false],
    ["*", false],
    ["", false],
    ["x".repeat(65), false],
  ])("%j valid: %s", (key, valid) => {
    expect(CATEGORY_KEY_PATTERN.test(key)).toBe(valid);
  });

  it("names the workspace's keys for an unknown one, or says there are none", () => {
    expect(unknownCategoryMessage("bills", ["billing", "security"])).toBe('unknown category "bills"; this workspace\'s categories are: billing, security');
    expect(unknownCategoryMessage("bills", [])).toContain("this workspace has no categories yet");
  });
});
