import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { WebhookPayloadError } from "@/lib/webhooks/message-change";
import { parseResendEmailEvent } from "@/lib/providers/email/resend/resend-email-event";

const messageId = randomUUID();
const workspaceId = randomUUID();
const event = (type: string, data: Record<string, unknown> = {}) => ({
  type,
  created_at: "2026-11-22T23:41:12.126Z",
  data: { email_id: "56761188-7520-42d8-8898-ff6fc54ce618", to: ["ann@example.com"], tags: { message_id: messageId, workspace_id: workspaceId }, ...data },
});

describe("parseResendEmailEvent", () => {
  it.each([
    ["email.sent", {}, { kind: "status", to: "sent" }],
    ["email.delivered", {}, { kind: "status", to: "delivered" }],
    ["email.delivery_delayed", {}, { kind: "none" }],
    ["email.bounced", { bounce: { type: "Permanent", subType: "Suppressed", message: "m" } }, { kind: "status", to: "bounced", suppress: "hard_bounce" }],
    ["email.bounced", { bounce: { type: "Transient", subType: "MailboxFull", message: "m" } }, { kind: "status", to: "bounced", error: "Soft bounce, Transient (MailboxFull: m)" }],
    ["email.complained", {}, { kind: "status", to: "complained", suppress: "complaint", unsubscribe: true }],
    ["email.opened", {}, { kind: "engagement", engagement: "open" }],
    ["email.clicked", { click: { link: "https://x.test" } }, { kind: "engagement", engagement: "click" }],
    ["email.failed", { failed: { reason: "reached_daily_quota" } }, { kind: "status", to: "failed", error: "reached_daily_quota" }],
    ["email.suppressed", { suppressed: { message: "on list", type: "OnAccountSuppressionList" } }, { kind: "status", to: "suppressed", suppress: "provider_suppressed" }],
    ["contact.created", {}, { kind: "none" }],
  ])("%s %j → %j", (type, data, change) => {
    expect(parseResendEmailEvent(event(type, data)).change).toMatchObject(change);
  });

  it.each(["Transient", "Undetermined"])("a %s (soft) bounce carries no suppression", (type) => {
    expect(parseResendEmailEvent(event("email.bounced", { bounce: { type, subType: "General" } })).change).not.toHaveProperty("suppress");
  });

  it("reads Sendline's ids from tags, from [{name, value}] tags, or from the X-Sendline headers", () => {
    expect(parseResendEmailEvent(event("email.sent"))).toMatchObject({ messageId, workspaceId, at: new Date("2026-11-22T23:41:12.126Z") });
    const asList = event("email.sent", { tags: [{ name: "message_id", value: messageId }] });
    expect(parseResendEmailEvent(asList).messageId).toBe(messageId);
    const viaHeaders = event("email.sent", { tags: undefined, headers: [{ name: "X-Sendline-Message-Id", value: messageId }] });
    expect(parseResendEmailEvent(viaHeaders).messageId).toBe(messageId);
    expect(parseResendEmailEvent(event("email.sent", { tags: { message_id: "not-a-uuid" } })).messageId).toBeNull();
  });

  it.each([
    ["no data", { type: "email.sent" }],
    ["no email id", { type: "email.sent", data: { to: [] } }],
    ["a bounce without its bounce object", event("email.bounced")],
    ["not an object", "email.sent"],
  ])("rejects %s", (_case, payload) => {
    expect(() => parseResendEmailEvent(payload)).toThrow(WebhookPayloadError);
  });
});
