import { randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { findMessageById } from "@/db/queries/messages";
import { isSuppressed } from "@/db/queries/suppressions";
import { insertWebhookEvent } from "@/db/queries/webhook-events";
import { auditLog, contacts } from "@/db/schema";
import { processEmailEvent } from "@/inngest/functions/webhooks/process-email-event";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { resendWebhookPayload } from "@/test/fakes/fake-resend";
import { useTestDatabase } from "@/test/support/database";
import { contact, sentMessage } from "./webhook-fixtures";

let database: Database;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  workspaceId = (await createWorkspace(database.db, { name: "Acme" })).workspace.id;
});
afterAll(() => database.close());

/** What Resend knows about an email Sendline sent: its id and the tags Sendline attached. */
function resendEmail(messageId: string, to: string, emailId = randomUUID()) {
  return {
    id: emailId,
    from: "Acme <news@acme.test>",
    to: [to],
    subject: "Hello",
    createdAt: new Date().toISOString(),
    tags: [
      { name: "message_id", value: messageId },
      { name: "workspace_id", value: workspaceId },
    ],
  };
}

/** Stores a webhook as the route would and runs the function on its event. */
async function deliver(payload: Record<string, unknown>) {
  const deliveryId = `msg_${randomUUID()}`;
  await insertWebhookEvent(database.db, { provider: "resend", deliveryId, type: String(payload.type), payload });
  return new InngestTestEngine({ function: processEmailEvent }).execute({
    events: [{ name: "provider/webhook.received", data: { provider: "resend", deliveryId } } as never],
  });
}

async function emailMessage(to: string, options: { contactId?: string; recorded?: boolean } = {}) {
  const emailId = randomUUID();
  const message = await sentMessage(database, {
    workspaceId,
    channel: "email",
    recipient: to,
    provider: "resend",
    providerMessageId: options.recorded === false ? null : emailId,
    contactId: options.contactId,
  });
  return { message, email: resendEmail(message.id, to, emailId) };
}

const reload = async (id: string) => (await findMessageById(database.db, { messageId: id }))!;
const suppressed = (address: string) => isSuppressed(database.db, { workspaceId, channel: "email", address });

describe("process-email-event", () => {
  it("only runs for Resend webhooks", () => {
    expect(processEmailEvent.opts.triggers).toEqual([expect.objectContaining({ if: "event.data.provider == 'resend'" })]);
  });

  it("email.delivered marks the message delivered", async () => {
    const { message, email } = await emailMessage("ann@example.com");
    const { result, error } = await deliver(resendWebhookPayload(email, "email.delivered"));
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ outcome: "advanced", status: "delivered", messageId: message.id });
    expect(await reload(message.id)).toMatchObject({ status: "delivered", deliveredAt: expect.any(Date) });
  });

  it("a late email.delivered never overrides a bounce (out-of-order webhooks)", async () => {
    const { message, email } = await emailMessage("late@example.com");
    await deliver(resendWebhookPayload(email, "email.bounced", { bounce: { type: "Permanent", subType: "General", message: "No such user" } }));
    const late = await deliver(resendWebhookPayload(email, "email.delivered"));
    expect(late.result).toMatchObject({ outcome: "unchanged", status: "bounced" });
    expect(await reload(message.id)).toMatchObject({ status: "bounced", deliveredAt: null, error: "Hard bounce (General: No such user)" });
  });

  it("a hard (Permanent) bounce suppresses the address", async () => {
    const { email } = await emailMessage("Hard@Example.com");
    const { result } = await deliver(resendWebhookPayload(email, "email.bounced", { bounce: { type: "Permanent", subType: "Suppressed", message: "x" } }));
    expect(result).toMatchObject({ status: "bounced", suppressed: true });
    expect(await suppressed("hard@example.com")).toBe(true);
  });

  it.each(["Transient", "Undetermined"])("a soft (%s) bounce ends the message but does not suppress", async (type) => {
    const address = `soft-${type.toLowerCase()}@example.com`;
    const { message, email } = await emailMessage(address);
    const { result } = await deliver(resendWebhookPayload(email, "email.bounced", { bounce: { type, subType: "MailboxFull", message: "full" } }));
    expect(result).toMatchObject({ status: "bounced", suppressed: false });
    expect((await reload(message.id)).error).toMatch(/^Soft bounce/);
    expect(await suppressed(address)).toBe(false);
  });

  it("a complaint suppresses the address, unsubscribes the contact and records why", async () => {
    const ann = await contact(database, { workspaceId, email: "complainer@example.com" });
    const { message, email } = await emailMessage("complainer@example.com", { contactId: ann.id });
    await deliver(resendWebhookPayload(email, "email.delivered"));
    const { result } = await deliver(resendWebhookPayload(email, "email.complained"));
    expect(result).toMatchObject({ outcome: "advanced", status: "complained", suppressed: true, unsubscribed: 1 });
    expect(await suppressed("complainer@example.com")).toBe(true);
    const [row] = await database.db.select().from(contacts).where(eq(contacts.id, ann.id));
    expect(row).toMatchObject({ status: "unsubscribed", unsubscribedAt: expect.any(Date) });
    const audit = await database.db.select().from(auditLog).where(and(eq(auditLog.targetId, ann.id), eq(auditLog.action, "contact.unsubscribed")));
    expect(audit).toEqual([expect.objectContaining({ actor: "function:process-email-event", details: expect.objectContaining({ source: "email_complained", messageId: message.id }) })]);
  });

  it("counts opens and clicks, keeping the first time of each", async () => {
    const { message, email } = await emailMessage("reader@example.com");
    await deliver(resendWebhookPayload(email, "email.delivered"));
    await deliver(resendWebhookPayload(email, "email.opened"));
    const firstOpen = (await reload(message.id)).openedAt;
    await deliver(resendWebhookPayload(email, "email.opened"));
    await deliver(resendWebhookPayload(email, "email.clicked", { click: { ipAddress: "192.0.2.1", link: "https://acme.test", timestamp: new Date().toISOString(), userAgent: "x" } }));
    expect(await reload(message.id)).toMatchObject({ status: "clicked", openCount: 2, clickCount: 1, openedAt: firstOpen, clickedAt: expect.any(Date) });
    // An open reported after the click is counted but does not move the status back.
    await deliver(resendWebhookPayload(email, "email.opened"));
    expect(await reload(message.id)).toMatchObject({ status: "clicked", openCount: 3 });
  });

  it("email.failed fails the message with Resend's reason", async () => {
    const { message, email } = await emailMessage("failed@example.com");
    await deliver(resendWebhookPayload(email, "email.failed", { failed: { reason: "reached_daily_quota" } }));
    expect(await reload(message.id)).toMatchObject({ status: "failed", error: "reached_daily_quota" });
  });

  it("email.delivery_delayed changes nothing", async () => {
    const { message, email } = await emailMessage("slow@example.com");
    const { result } = await deliver(resendWebhookPayload(email, "email.delivery_delayed"));
    expect(result).toMatchObject({ outcome: "ignored" });
    expect((await reload(message.id)).status).toBe("sent");
  });

  it("finds the message by its message_id tag when the webhook outran the send step, and records Resend's id", async () => {
    const { message, email } = await emailMessage("fast@example.com", { recorded: false });
    expect(message.status).toBe("sending");
    await deliver(resendWebhookPayload(email, "email.delivered"));
    expect(await reload(message.id)).toMatchObject({ status: "delivered", provider: "resend", providerMessageId: email.id });
  });

  it("ignores a webhook for an unknown message without retrying", async () => {
    const stranger = resendEmail(randomUUID(), "nobody@example.com");
    const { result, error } = await deliver(resendWebhookPayload(stranger, "email.delivered"));
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ outcome: "unknown_message", providerMessageId: stranger.id });
  });

  it("does not trust a tag naming another workspace", async () => {
    const { message, email } = await emailMessage("tagged@example.com", { recorded: false });
    const forged = { ...email, tags: [{ name: "message_id", value: message.id }, { name: "workspace_id", value: randomUUID() }] };
    const { result } = await deliver(resendWebhookPayload(forged, "email.delivered"));
    expect(result).toMatchObject({ outcome: "unknown_message" });
    expect((await reload(message.id)).status).toBe("sending");
  });

  it("fails a payload Resend never sends without retries", async () => {
    const { error } = await deliver({ type: "email.delivered", data: { to: ["x@example.com"] } });
    expect(error).toMatchObject({ name: "NonRetriableError", message: expect.stringContaining("data.email_id") });
  });

  it("retries (rather than drops) an event whose stored webhook is missing", async () => {
    const { error } = await new InngestTestEngine({ function: processEmailEvent }).execute({
      events: [{ name: "provider/webhook.received", data: { provider: "resend", deliveryId: "msg_missing" } } as never],
    });
    expect(error).toMatchObject({ name: "WebhookNotStoredError" });
  });
});
