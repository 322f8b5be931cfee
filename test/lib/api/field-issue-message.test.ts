import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { campaignsApi } from "@/lib/api/contracts/campaigns";
import { contactsApi } from "@/lib/api/contracts/contacts";
import { listsApi } from "@/lib/api/contracts/lists";
import { messagesApi } from "@/lib/api/contracts/messages";
import { notificationsApi } from "@/lib/api/contracts/notifications";
import { outboxApi } from "@/lib/api/contracts/outbox";
import { templatesApi } from "@/lib/api/contracts/templates";
import { parseRequest } from "@/lib/api/route";

async function fieldsOf(schema: z.ZodType, input: unknown): Promise<Record<string, string[]>> {
  const result = parseRequest(schema, input);
  if (result.ok) throw new Error("expected a 400");
  expect(result.response.status).toBe(400);
  return ((await result.response.json()) as { error: { fields: Record<string, string[]> } }).error.fields;
}

const TEMPLATE_ID = "0190b6d2-8a41-7c3e-9f5a-3c1d2e4f5a6b";

describe("a 400 names each field and what it must be", () => {
  it.each([
    ["nothing at all", notificationsApi.create.body, {}, { messageId: ["is required"], channel: ['must be one of "email", "sms", "whatsapp", "push", "in_app"'] }],
    ["a string for the body", notificationsApi.create.body, "hello", { "(body)": ["must be an object, not a string"] }],
    ["null for the body", notificationsApi.create.body, null, { "(body)": ["must be an object, not null"] }],
    ["an array for the body", listsApi.create.body, [{ name: "x" }], { "(body)": ["must be an object, not an array"] }],
    [
      "wrong types, an unknown channel and a stray key",
      notificationsApi.create.body,
      { messageId: 5, channel: "fax", to: null, data: [], workspaceId: "w" },
      {
        messageId: ["must be a string, not a number"],
        channel: ['must be one of "email", "sms", "whatsapp", "push", "in_app"'],
        to: ["must be a string, not null"],
        data: ["must be an object, not an array"],
        workspaceId: ["is not a known field"],
      },
    ],
    [
      "a nested field, by its dotted path",
      campaignsApi.create.body,
      { name: "", channel: "email", templateId: "x", audience: { listId: "nope" } },
      { name: ["must not be empty"], templateId: ["must be a template id"], "audience.listId": ["must be a list id"] },
    ],
    ["an array element, by its index", listsApi.addMembers.body, { contactIds: [TEMPLATE_ID, "b"] }, { "contactIds.1": ["must be a contact id"] }],
    ["an empty array", listsApi.addMembers.body, { contactIds: [] }, { contactIds: ["must have at least 1 item"] }],
    ["a name too long", listsApi.create.body, { name: "x".repeat(201) }, { name: ["must be at most 200 characters long"] }],
    ["an unknown key inside an object", templatesApi.preview.body, { contact: { firstName: "Ann" } }, { "contact.firstName": ["is not a known field"] }],
    ["a protected contact field", contactsApi.upsert.body, { email: "ann@example.com", status: "subscribed" }, { status: ["is managed by Sendline and cannot be set through the API"] }],
    [
      "an attribute key that is not an identifier",
      contactsApi.upsert.body,
      { email: "ann@example.com", attributes: { "Bad Key": 1 } },
      { "attributes.Bad Key": [expect.stringMatching(/^is not a valid key: must start with a letter/)] },
    ],
    ["a date that is not ISO 8601", campaignsApi.schedule.body, { sendAt: "tomorrow" }, { sendAt: [expect.stringContaining("ISO 8601")] }],
    ["a schema's own words win", templatesApi.create.body, { channel: "email", name: "t", body: "b" }, { subject: ["required for email"] }],
  ])("%s", async (_name, schema, input, expected) => {
    expect(await fieldsOf(schema, input)).toEqual(expected);
  });

  it.each([
    ["a limit that is not a number", messagesApi.list.query, { limit: "abc" }, { limit: ["must be a number"] }],
    ["a limit too large", messagesApi.list.query, { limit: "1000" }, { limit: ["must be at most 100"] }],
    ["a limit that is not whole", messagesApi.list.query, { limit: "2.5" }, { limit: ["must be a whole number"] }],
    ["an unknown parameter", messagesApi.list.query, { page: "2" }, { page: ["is not a known field"] }],
    ["an id that is not a UUID", messagesApi.list.query, { campaignId: "nope" }, { campaignId: ["must be a campaign id"] }],
    ["an outbox parameter it does not know", outboxApi.list.query, { status: "x" }, { status: ["is not a known field"] }],
  ])("query: %s", async (_name, schema, input, expected) => {
    expect(await fieldsOf(schema, input)).toEqual(expected);
  });
});
