import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { findMessageById } from "@/db/queries/messages";
import { refreshMessageStatus } from "@/inngest/functions/webhooks/refresh-message-status";
import { ResendEmailProvider } from "@/lib/providers/email/resend/resend-email-provider";
import { TwilioSmsProvider } from "@/lib/providers/sms/twilio/twilio-sms-provider";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { type FakeResend, startFakeResend } from "@/test/fakes/fake-resend";
import { type FakeTwilio, startFakeTwilio } from "@/test/fakes/fake-twilio";
import { useTestDatabase } from "@/test/support/database";
import { sentMessage } from "./webhook-fixtures";

let database: Database;
let workspaceId: string;
let resend: FakeResend;
let twilio: FakeTwilio;

const MINUTE = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms);

beforeAll(async () => {
  database = await useTestDatabase();
  workspaceId = (await createWorkspace(database.db, { name: "Acme" })).workspace.id;
  resend = await startFakeResend({ rateLimit: false });
  twilio = await startFakeTwilio();
  // The function builds its providers from the environment, as in production.
  Object.assign(process.env, {
    RESEND_API_KEY: resend.apiKey,
    RESEND_BASE_URL: resend.url,
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_FROM: "+14155550999",
    TWILIO_BASE_URL: twilio.url,
    REFRESH_PENDING_MINUTES: "30",
  });
});
afterAll(async () => {
  for (const name of ["RESEND_API_KEY", "RESEND_BASE_URL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM", "TWILIO_BASE_URL", "REFRESH_PENDING_MINUTES"]) delete process.env[name];
  await Promise.all([resend.stop(), twilio.stop(), database.close()]);
});

/** An email really sent to the fake Resend, recorded as the send step would, `sentAgoMs` ago. */
async function email(to: string, sentAgoMs: number, at: FakeResend = resend) {
  const provider = new ResendEmailProvider({ apiKey: at.apiKey, baseUrl: at.url });
  const { providerMessageId } = await provider.send(
    { workspaceId, messageId: crypto.randomUUID(), from: "a@acme.test", to, subject: "Hi", html: "<p>Hi</p>", text: "Hi" },
    { idempotencyKey: crypto.randomUUID() },
  );
  const message = await sentMessage(database, { workspaceId, channel: "email", recipient: to, provider: "resend", providerMessageId, sentAt: ago(sentAgoMs) });
  return { message, emailId: providerMessageId };
}

const run = () => new InngestTestEngine({ function: refreshMessageStatus }).execute({ events: [{ name: "inngest/scheduled.timer", data: { cron: "*/10 * * * *" } } as never] });
const statusOf = async (id: string) => (await findMessageById(database.db, { messageId: id }))!.status;

describe("refresh-message-status", () => {
  it("runs every 10 minutes, one sweep at a time", () => {
    expect(refreshMessageStatus.opts).toMatchObject({ id: "refresh-message-status", triggers: [{ cron: "*/10 * * * *" }], concurrency: { limit: 1 } });
  });

  it("asks the provider about messages stuck at 'sent' and moves them forward only", async () => {
    const stuck = await email("stuck@example.com", 45 * MINUTE);
    resend.setLastEvent(stuck.emailId, "delivered");
    const bounced = await email("bounced@example.com", 2 * 60 * MINUTE);
    resend.setLastEvent(bounced.emailId, "bounced");
    const noNews = await email("pending@example.com", 60 * MINUTE);
    // Too recent to ask about, and too old to bother: both left alone though the provider knows more.
    const recent = await email("recent@example.com", 10 * MINUTE);
    resend.setLastEvent(recent.emailId, "delivered");
    const old = await email("old@example.com", 4 * 24 * 60 * MINUTE);
    resend.setLastEvent(old.emailId, "delivered");

    const provider = new TwilioSmsProvider({ accountSid: twilio.accountSid, authToken: twilio.authToken, from: "+14155550999", baseUrl: twilio.url });
    const { providerMessageId: sid } = await provider.send({ workspaceId, messageId: crypto.randomUUID(), to: "+14155550100", body: "Hi" }, { idempotencyKey: "k" });
    const sms = await sentMessage(database, { workspaceId, channel: "sms", recipient: "+14155550100", provider: "twilio", providerMessageId: sid, sentAt: ago(40 * MINUTE) });
    twilio.setStatus(sid, "undelivered");

    const { result, error } = await run();
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ pages: 1, checked: 4, advanced: 3, errors: 0 });
    expect(await statusOf(stuck.message.id)).toBe("delivered");
    expect(await statusOf(bounced.message.id)).toBe("bounced");
    expect(await statusOf(noNews.message.id)).toBe("sent");
    expect(await statusOf(recent.message.id)).toBe("sent");
    expect(await statusOf(old.message.id)).toBe("sent");
    expect(await statusOf(sms.id)).toBe("failed");

    // A second sweep finds only the message with no news, and changes nothing.
    const again = await run();
    expect(again.result).toMatchObject({ checked: 1, advanced: 0 });
  });

  it("takes its lookups' turns on the account's send schedule, so a sweep never spends the rate limit sends need", { timeout: 30_000 }, async () => {
    // Resend's real limit, 2 requests a second for every call on the key.
    const limited = await startFakeResend();
    Object.assign(process.env, { RESEND_API_KEY: limited.apiKey, RESEND_BASE_URL: limited.url });
    try {
      const stuck = [];
      for (let i = 0; i < 6; i++) {
        stuck.push(await email(`limited${i}@example.com`, 45 * MINUTE, limited));
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      for (const { emailId } of stuck) limited.setLastEvent(emailId, "delivered");
      const before = limited.counters.rateLimited;

      const { result } = await run();
      expect(result).toMatchObject({ advanced: 6, errors: 0 });
      expect(limited.counters.rateLimited - before).toBe(0);
      for (const { message } of stuck) expect(await statusOf(message.id)).toBe("delivered");
    } finally {
      Object.assign(process.env, { RESEND_API_KEY: resend.apiKey, RESEND_BASE_URL: resend.url });
      await limited.stop();
    }
  });

  it("skips messages sent through a provider other than the configured one", async () => {
    const outboxOnly = await sentMessage(database, {
      workspaceId,
      channel: "email",
      recipient: "outbox@example.com",
      provider: "outbox",
      providerMessageId: `outbox_${crypto.randomUUID()}`,
      sentAt: ago(60 * MINUTE),
    });
    const { result } = await run();
    expect(result).toMatchObject({ skipped: 1 });
    expect(await statusOf(outboxOnly.id)).toBe("sent");
  });
});
