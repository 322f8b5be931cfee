import { describe, expect, it } from "vitest";
import { notificationRequest } from "@/lib/notifications/notification-request";

const template = { name: "order_shipped", language: "en_US", variables: ["{{ contact.first_name }}"] };
const base = { messageId: "m1", channel: "whatsapp", to: "+14155550123" };
const issues = (input: Record<string, unknown>) => {
  const parsed = notificationRequest.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
};

describe("a WhatsApp notification request", () => {
  it("takes a template message without a body, its variables defaulting to none", () => {
    expect(notificationRequest.parse({ ...base, whatsapp: { template } }).whatsapp).toEqual({ template });
    expect(notificationRequest.parse({ ...base, whatsapp: { template: { name: "hello_world", language: "en" } } }).whatsapp?.template.variables).toEqual([]);
  });

  it("takes a Twilio Content SID as the template's name", () => {
    expect(issues({ ...base, whatsapp: { template: { ...template, name: `HX${"ab".repeat(16)}` } } })).toEqual([]);
  });

  it("takes a session message as a body", () => {
    expect(issues({ ...base, body: "Hi" })).toEqual([]);
  });

  it.each([
    ["a template with a body", { ...base, body: "Hi", whatsapp: { template } }, "whatsapp: a template message has no `templateId`, `subject` or `body`"],
    ["a template on another channel", { ...base, channel: "sms", whatsapp: { template } }, "whatsapp: only for channel `whatsapp`"],
    ["a template name Meta would never approve", { ...base, whatsapp: { template: { ...template, name: "Order Shipped" } } }, "whatsapp.template.name: must be the template's name as approved at Meta"],
    ["a language that is not a code", { ...base, whatsapp: { template: { ...template, language: "English" } } }, "whatsapp.template.language: must be a language code"],
    ["an unknown field in the template", { ...base, whatsapp: { template: { ...template, components: [] } } }, "whatsapp.template"],
    ["neither body nor template", base, "body: required when no `templateId` is given"],
  ])("refuses %s", (_, input, message) => {
    expect(issues(input).join("\n")).toContain(message);
  });
});
