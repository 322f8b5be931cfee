import { describe, expect, it } from "vitest";
import { CAMPAIGN_TEMPLATE_VARIABLES } from "@/lib/campaigns/campaign-template-variables";
import { describeSchema, unknownTemplateVariables } from "@/lib/templates/check-template-variables";
import { compileTemplate } from "@/lib/templates/compile-template";
import { exampleVariables } from "@/lib/templates/template-variables";

const check = (body: string, subject = "News", channel: "email" | "sms" = "email") =>
  unknownTemplateVariables(
    compileTemplate(channel === "email" ? { channel, subject, body } : { channel, body }),
    CAMPAIGN_TEMPLATE_VARIABLES[channel],
    "a campaign template",
  ).map((problem) => problem.message);

describe("unknownTemplateVariables against a campaign's variables", () => {
  it.each([
    ["contact fields", "{{ contact.first_name }} {{ contact.last_name }} {{ contact.email }} {{ contact.phone }} {{ contact.id }}"],
    ["any attribute", "{{ contact.attributes.company | default: '' }} {{ contact.attributes['plan tier'] }}"],
    ["the unsubscribe link", '<a href="{{ unsubscribe_url }}">Unsubscribe</a>'],
    ["Liquid's own properties of a string", "{{ contact.first_name.size }}"],
    ["variables the template assigns itself", "{% assign n = contact.first_name %}{{ n }}{% for x in (1..3) %}{{ x }}{{ forloop.index }}{% endfor %}"],
    ["a computed key", "{% assign k = 'email' %}{{ contact[k] }}"],
  ])("accepts %s", (_case, body) => {
    expect(check(body)).toEqual([]);
  });

  it.each([
    ["a contact field written without `contact.`", "Hi {{ first_name }}", ["template variable `first_name` is undefined in the body, line 1 — did you mean `contact.first_name`?"]],
    [
      "a variable no campaign has",
      "Hi\n{{ order.total }}",
      ["template variable `order` is undefined in the body, line 2 — a campaign template sees `contact.*`, `unsubscribe_url` and `preferences_url`"],
    ],
    [
      "a contact field that does not exist",
      "{{ contact.company }}",
      ["template variable `contact.company` is undefined in the body, line 1 — a campaign template sees `contact.*`, `unsubscribe_url` and `preferences_url`"],
    ],
    ["a property of a plain value", "{{ contact.email.domain }}", [expect.stringMatching(/^template variable `contact\.email\.domain` is undefined in the body, line 1/)]],
    ["a variable only inside a branch", "{% if contact.email %}ok{% else %}{{ nam }}{% endif %}", [expect.stringMatching(/^template variable `nam` is undefined in the body, line 1/)]],
  ])("names %s and where it is", (_case, body, expected) => {
    expect(check(body)).toEqual(expected);
  });

  it("checks the subject too, and reports each variable once per part", () => {
    expect(check("{{ first_name }} {{ first_name }}", "Hi {{ first_name }}")).toEqual([
      "template variable `first_name` is undefined in the subject, line 1 — did you mean `contact.first_name`?",
      "template variable `first_name` is undefined in the body, line 1 — did you mean `contact.first_name`?",
    ]);
  });

  it("gives SMS campaigns no unsubscribe link", () => {
    expect(check("Hi {{ contact.first_name }} {{ unsubscribe_url }}", undefined, "sms")).toEqual([
      "template variable `unsubscribe_url` is undefined in the body, line 1 — a campaign template sees `contact.*` and `preferences_url`",
    ]);
  });

  it("describes what a schema offers", () => {
    expect(describeSchema(CAMPAIGN_TEMPLATE_VARIABLES.email)).toBe("`contact.*`, `unsubscribe_url` and `preferences_url`");
  });

  it("renders every template that passes with the schema's example values", async () => {
    const template = compileTemplate({ channel: "email", subject: "For {{ contact.first_name }}", body: "{{ contact.attributes.company }} {{ unsubscribe_url }}" });
    expect(unknownTemplateVariables(template, CAMPAIGN_TEMPLATE_VARIABLES.email, "a campaign template")).toEqual([]);
    await expect(template.render(exampleVariables(CAMPAIGN_TEMPLATE_VARIABLES.email))).resolves.toMatchObject({ subject: "For Ann" });
  });
});
