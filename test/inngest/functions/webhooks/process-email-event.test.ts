import { randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { findMessageById } from "@/db/queries/messages";
import { isSuppressed } from "@/db/queries/suppressions";
import { insertWebhookEvent } from "@/db/queries/webhook-events";
import { listMessageEngagement } from "@/db/queries/engagement-events";
import { auditLog, contacts, messages as messagesTable, webhookEvents } from "@/db/schema";
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

/** Stores webhooks as the route would (each under its own or the given svix-id) and runs one batch of their events. */
async function deliverBatch(payloads: (Record<string, unknown> | { deliveryId: string; payload: Record<string, unknown> })[]) {
  const deliveryIds: string[] = [];
  for (const item of payloads) {
    const { deliveryId, payload } = "deliveryId" in item ? (item as { deliveryId: string; payload: Record<string, unknown> }) : { deliveryId: `msg_${randomUUID()}`, payload: item };
    await insertWebhookEvent(database.db, { provider: "resend", deliveryId, type: String(payload.type), payload });
    deliveryIds.push(deliveryId);
  }
  return new InngestTestEngine({ function: processEmailEvent }).execute({
    events: deliveryIds.map((deliveryId) => ({ name: "provider/webhook.received", data: { provider: "resend", deliveryId } })) as never,
  });
}

/** One webhook in a batch of its own; `result` is that webhook's result. */
async function deliver(payload: Record<string, unknown>) {
  const run = await deliverBatch([payload]);
  return { ...run, result: (run.result as { results?: unknown[] } | undefined)?.results?.[0] };
}

const events = (messageId: string) => listMessageEngagement(database.db, { workspaceId, messageId });

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

const anHourAgo = () => new Date(Date.now() - 3_600_000);
const reload = async (id: string) => (await findMessageById(database.db, { messageId: id }))!;
const suppressed = (address: string) => isSuppressed(database.db, { workspaceId, channel: "email", address });

describe("process-email-event", () => {
  it("only runs for Resend webhooks, in batches of up to 100 within a second", () => {
    expect(processEmailEvent.opts.triggers).toEqual([expect.objectContaining({ if: "event.data.provider == 'resend'" })]);
    expect(processEmailEvent.opts.batchEvents).toEqual({ maxSize: 100, timeout: "1s" });
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
    // Delivered an hour ago: an open seconds after delivery would read as a prefetch.
    await deliver(resendWebhookPayload(email, "email.delivered", {}, anHourAgo()));
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

  it("records a payload Resend never sends and applies the batch's other webhooks", async () => {
    const { message, email } = await emailMessage("neighbour@example.com");
    const { result, error } = await deliverBatch([{ type: "email.delivered", data: { to: ["x@example.com"] } }, resendWebhookPayload(email, "email.delivered")]);
    expect(error).toBeUndefined();
    expect(result).toMatchObject({
      webhooks: 2,
      results: [
        { outcome: "invalid_payload", error: expect.stringContaining("data.email_id") },
        { outcome: "advanced", status: "delivered", messageId: message.id },
      ],
      engagement: { recorded: 1, duplicates: 0, unknownMessages: 0 },
    });
    expect((await events(message.id)).map((event) => [event.type, event.source])).toEqual([["delivered", "resend"]]);
  });

  it("applies a whole batch in one step and appends each fact once: repeats, redeliveries and late news count once", async () => {
    const ann = await contact(database, { workspaceId, email: "batch@example.com" });
    const { message, email } = await emailMessage("batch@example.com", { contactId: ann.id });
    const opened = { deliveryId: `msg_${randomUUID()}`, payload: resendWebhookPayload(email, "email.opened") };
    const clicked = resendWebhookPayload(email, "email.clicked", { click: { ipAddress: "192.0.2.1", link: "https://acme.test/sale", timestamp: new Date().toISOString(), userAgent: "x" } });
    const run = await deliverBatch([
      opened,
      resendWebhookPayload(email, "email.delivered", {}, anHourAgo()),
      clicked,
      resendWebhookPayload(email, "email.sent", {}, anHourAgo()), // late: the message is past "sent"
      resendWebhookPayload(email, "email.delivered", {}, anHourAgo()), // the same news under another svix-id
    ]);
    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({ webhooks: 5, engagement: { recorded: 4, duplicates: 1 } });
    // One step for the whole batch.
    expect(run.ctx.step.run).toHaveBeenCalledTimes(1);
    expect(await reload(message.id)).toMatchObject({ status: "clicked", openCount: 1, clickCount: 1 });
    const timeline = await events(message.id);
    expect(timeline.map((event) => [event.type, event.source, event.firstOpen, event.firstClick, event.url])).toEqual(
      expect.arrayContaining([
        ["opened", "resend", true, false, null],
        ["delivered", "resend", false, false, null],
        ["clicked", "resend", false, true, "https://acme.test/sale"],
        ["sent", "resend", false, false, null],
      ]),
    );
    expect(timeline).toHaveLength(4);

    // The provider redelivers the open (same svix-id) and the step runs again: nothing moves.
    await database.db.delete(webhookEvents).where(eq(webhookEvents.deliveryId, opened.deliveryId));
    const again = await deliverBatch([opened]);
    expect(again.result).toMatchObject({ engagement: { recorded: 0, duplicates: 1 } });
    expect(await reload(message.id)).toMatchObject({ openCount: 1, clickCount: 1 });
    expect(await events(message.id)).toHaveLength(4);
  });

  it("records hard and soft bounces and complaints in the stream, with the bounce's kind", async () => {
    const hard = await emailMessage("gone@example.com");
    const soft = await emailMessage("full@example.com");
    const spam = await emailMessage("spam@example.com");
    await deliverBatch([
      resendWebhookPayload(hard.email, "email.bounced", { bounce: { type: "Permanent", subType: "General", message: "No such user" } }),
      resendWebhookPayload(soft.email, "email.bounced", { bounce: { type: "Transient", subType: "MailboxFull", message: "full" } }),
      resendWebhookPayload(spam.email, "email.complained"),
    ]);
    expect((await events(hard.message.id)).map((event) => [event.type, event.bounceKind])).toEqual([["bounced", "hard"]]);
    expect((await events(soft.message.id)).map((event) => [event.type, event.bounceKind])).toEqual([["bounced", "soft"]]);
    expect((await events(spam.message.id)).map((event) => event.type)).toEqual(["complained"]);
  });

  it("leaves a campaign email's opens and clicks to Sendline's own pixel and links", async () => {
    const { message, email } = await emailMessage("campaign-reader@example.com");
    await database.db.update(messagesTable).set({ campaignId: randomUUID() }).where(eq(messagesTable.id, message.id));
    const { result } = await deliver(resendWebhookPayload(email, "email.opened"));
    expect(result).toMatchObject({ outcome: "ignored" });
    expect(await reload(message.id)).toMatchObject({ status: "sent", openCount: 0, openedAt: null });
    expect(await events(message.id)).toEqual([]);
  });

  it("retries (rather than drops) an event whose stored webhook is missing", async () => {
    const { error } = await new InngestTestEngine({ function: processEmailEvent }).execute({
      events: [{ name: "provider/webhook.received", data: { provider: "resend", deliveryId: "msg_missing" } } as never],
    });
    expect(error).toMatchObject({ name: "WebhookNotStoredError" });
  });
});
