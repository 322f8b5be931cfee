import { expect } from "vitest";
import type { ApiClient } from "./api-client";

/**
 * What the pages show, made the way an API user makes it. Every helper takes the file's own
 * workspace client, so what one file creates never shows on another file's pages.
 */

type Id = { id: string };

export async function createContacts(api: ApiClient, count: number, options: { domain?: string } = {}): Promise<string[]> {
  const domain = options.domain ?? "example.com";
  const ids: string[] = [];
  for (let n = 1; n <= count; n++) {
    const contact = await api<Id>("POST", "/contacts", { email: `person${n}@${domain}`, firstName: `Person`, lastName: `No ${n}` });
    ids.push(contact.id);
  }
  return ids;
}

export async function createList(api: ApiClient, name: string, contactIds: string[] = []): Promise<string> {
  const list = await api<Id>("POST", "/lists", { name, description: `${name}, made by the browser suite` });
  if (contactIds.length) await api("POST", `/lists/${list.id}/members`, { contactIds });
  return list.id;
}

export async function createEmailTemplate(api: ApiClient, name: string): Promise<string> {
  const template = await api<Id>("POST", "/templates", {
    channel: "email",
    name,
    subject: "Hello {{ contact.first_name }}",
    body: "<p>Hello {{ contact.first_name }}, here is our news.</p>",
  });
  return template.id;
}

/** A draft email campaign to a new list of `recipients` new contacts. */
export async function createDraftCampaign(api: ApiClient, name: string, recipients: number): Promise<string> {
  const contactIds = await createContacts(api, recipients, { domain: `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.example.com` });
  const listId = await createList(api, `${name} audience`, contactIds);
  const templateId = await createEmailTemplate(api, `${name} template`);
  const campaign = await api<Id>("POST", "/campaigns", { name, channel: "email", templateId, audience: { listId } });
  return campaign.id;
}

/** A transactional email, waited for until the local provider (the outbox) has it. */
export async function sendNotification(api: ApiClient, params: { to: string; subject: string }): Promise<{ id: string; messageId: string }> {
  const messageId = `browser-${params.to}-${Date.now()}`;
  const sent = await api<{ id: string; messageId: string }>("POST", "/notifications", {
    messageId,
    channel: "email",
    to: params.to,
    subject: params.subject,
    body: "<p>Your order has shipped.</p>",
  });
  await expect
    .poll(async () => (await api<{ status: string }>("GET", `/notifications/${sent.id}`)).status, { timeout: 20_000, interval: 200 })
    .toBe("sent");
  return sent;
}
