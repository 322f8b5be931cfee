import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CAMPAIGN_TEMPLATE_VARIABLES, campaignMessageVariables } from "@/lib/campaigns/campaign-template-variables";
import { CONTACT_VARIABLE } from "@/lib/templates/template-variables";

const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
const contact = { id: "0190b6d2-8a41-7c3e-9f5a-3c1d2e4f5a6b", email: "ann@example.com", phone: null, firstName: "Ann", lastName: null, locale: null, timezone: null, birthday: null, birthdayMonth: null, birthdayDay: null, attributes: { plan: "pro" } };

describe("the variables a campaign message has", () => {
  it("are what rendering provides, per channel", () => {
    const email = campaignMessageVariables("email", { messageId: "00000000-0000-0000-0000-000000000000", baseUrl: "https://x.example", contact });
    expect(Object.keys(email).sort()).toEqual(Object.keys(CAMPAIGN_TEMPLATE_VARIABLES.email).sort());
    expect(Object.keys(email.contact as object).sort()).toEqual(Object.keys(CONTACT_VARIABLE.properties!).sort());
    expect(Object.keys(campaignMessageVariables("sms", { messageId: "00000000-0000-0000-0000-000000000000", contact })).sort()).toEqual(Object.keys(CAMPAIGN_TEMPLATE_VARIABLES.sms).sort());
  });

  it("are all documented in the README", () => {
    const section = readme.slice(readme.indexOf("### Template variables"), readme.indexOf("### Preflight"));
    for (const name of Object.keys(CONTACT_VARIABLE.properties!)) expect(section, `contact.${name}`).toContain(`contact.${name}`);
    expect(section).toContain("`unsubscribe_url`");
  });
});
