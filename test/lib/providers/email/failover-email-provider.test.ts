import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { findMessageById, insertMessage } from "@/db/queries/messages";
import { listProviderBreakers } from "@/db/queries/provider-breakers";
import { insertWorkspace } from "@/db/queries/workspaces";
import { providerBreakers } from "@/db/schema";
import { FailoverEmailProvider } from "@/lib/providers/email/failover-email-provider";
import { ResendEmailProvider } from "@/lib/providers/email/resend/resend-email-provider";
import { SmtpEmailProvider } from "@/lib/providers/email/smtp/smtp-email-provider";
import { ProviderError } from "@/lib/providers/errors";
import { type FakeResend, startFakeResend } from "@/test/fakes/fake-resend";
import { type FakeSmtp, startFakeSmtp } from "@/test/fakes/fake-smtp";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let resend: FakeResend;
let smtp: FakeSmtp;
let smtpProvider: SmtpEmailProvider;
let failover: FailoverEmailProvider;
let workspaceId: string;
const settings = { failures: 2, windowMs: 60_000, coolDownMs: 60_000 };

beforeAll(async () => {
  database = await useTestDatabase();
  resend = await startFakeResend({ rateLimit: false });
  smtp = await startFakeSmtp();
  smtpProvider = new SmtpEmailProvider({ url: smtp.url, timeoutMs: 2_000 });
  const resendProvider = new ResendEmailProvider({ apiKey: resend.apiKey, baseUrl: resend.url, timeoutMs: 300 });
  failover = new FailoverEmailProvider(database.db, [resendProvider, smtpProvider], settings);
  workspaceId = (await insertWorkspace(database.db, { name: "failover" })).id;
});
afterAll(async () => {
  smtpProvider.close();
  await Promise.all([resend.stop(), smtp.stop()]);
  await database.close();
});
beforeEach(async () => {
  await database.db.delete(providerBreakers);
});

let n = 0;
async function queuedEmail(to: string) {
  n += 1;
  const { row } = await insertMessage(database.db, { workspaceId, idempotencyKey: `failover-${n}`, channel: "email", recipient: to, status: "sending" });
  return { workspaceId, messageId: row.id, from: "hello@sendline.test", to, subject: "Hi", html: "<p>Hi</p>", text: "Hi" };
}
const sentTo = (to: string) => ({ resend: resend.emails.filter((e) => e.to.includes(to)).length, smtp: smtp.messages.filter((m) => m.to.includes(to)).length });

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => null, (reason: unknown) => reason);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe("FailoverEmailProvider (resend, then smtp)", () => {
  it("sends through Resend while it answers", async () => {
    const message = await queuedEmail("first@example.com");
    expect(await failover.send(message, { idempotencyKey: `msg_${message.messageId}` })).toMatchObject({ provider: "resend" });
    expect(sentTo("first@example.com")).toEqual({ resend: 1, smtp: 0 });
  });

  it("hands a message Resend answered with a 500 to SMTP, once", async () => {
    resend.failNext(1, { status: 500 });
    const message = await queuedEmail("five-hundred@example.com");
    const result = await failover.send(message, { idempotencyKey: `msg_${message.messageId}` });
    expect(result).toMatchObject({ provider: "smtp", providerMessageId: `<${message.messageId}@sendline.test>` });
    expect(sentTo("five-hundred@example.com")).toEqual({ resend: 0, smtp: 1 });
  });

  it("hands a whole batch over, each message once, and opens Resend's breaker after N failures", async () => {
    resend.failNext(2, { status: 503 });
    const first = [await queuedEmail("b1@example.com"), await queuedEmail("b2@example.com")];
    const second = [await queuedEmail("b3@example.com")];
    expect((await failover.sendBatch(first, { idempotencyKey: "batch-1" })).map((r) => r.ok && r.provider)).toEqual(["smtp", "smtp"]);
    expect((await failover.sendBatch(second, { idempotencyKey: "batch-2" })).map((r) => r.ok && r.provider)).toEqual(["smtp"]);
    const [breaker] = await listProviderBreakers(database.db, { keys: ["email:resend"] });
    expect(breaker).toMatchObject({ state: "open", failures: 2 });
    // Open: Resend is not even asked.
    const requests = resend.requests.length;
    const third = await queuedEmail("b4@example.com");
    expect(await failover.send(third, { idempotencyKey: `msg_${third.messageId}` })).toMatchObject({ provider: "smtp" });
    expect(resend.requests.length).toBe(requests);
    for (const to of ["b1", "b2", "b3", "b4"]) expect(sentTo(`${to}@example.com`)).toEqual({ resend: 0, smtp: 1 });
  });

  it("never fails over after a timeout: the message stays pinned to Resend and is retried there with the same key", async () => {
    resend.failNext(1, { hang: true, afterAccept: true });
    const message = await queuedEmail("timeout@example.com");
    const options = { idempotencyKey: `msg_${message.messageId}` };
    expect(await failure(failover.send(message, options))).toMatchObject({ kind: "transient", details: { provider: "resend", code: "timeout" } });
    expect((await findMessageById(database.db, message))?.provider).toBe("resend");
    // Resend now refuses with a 500: still no SMTP, because the first call may have sent it.
    resend.failNext(1, { status: 500 });
    expect(await failure(failover.send(message, options))).toMatchObject({ kind: "transient", details: { provider: "resend", notAccepted: false } });
    // Two failures opened Resend's breaker: the pinned message waits rather than going to SMTP.
    expect(await failure(failover.send(message, options))).toMatchObject({ kind: "transient", details: { code: "no_provider_available" } });
    expect((await findMessageById(database.db, message))?.provider).toBe("resend");
    await database.db.delete(providerBreakers); // as if the cool-down had passed and the trial succeeded
    // Resend recognises the key and answers with the first call's email: sent once, through Resend.
    expect(await failover.send(message, options)).toMatchObject({ provider: "resend" });
    expect(sentTo("timeout@example.com")).toEqual({ resend: 1, smtp: 0 });
    expect(resend.duplicateSends()).toEqual([]);
  });

  it("throws a transient error when every provider is down, and the message waits unpinned", async () => {
    resend.failNext(1, { status: 500 });
    smtp.failNext(1, { code: 421, at: "data" });
    const message = await queuedEmail("nobody-up@example.com");
    const error = await failure(failover.send(message, { idempotencyKey: `msg_${message.messageId}` }));
    expect(error).toMatchObject({ kind: "transient", details: { code: "no_provider_available" } });
    expect(error.message).toMatch(/resend: .*; smtp: .*421/);
    expect((await findMessageById(database.db, message))?.provider).toBeNull();
    expect(sentTo("nobody-up@example.com")).toEqual({ resend: 0, smtp: 0 });
  });

  it("does not fail over on a rejected recipient or a 429, and neither counts against the provider", async () => {
    resend.failNext(1, { status: 429 });
    const message = await queuedEmail("slow-down@example.com");
    expect(await failure(failover.send(message, { idempotencyKey: `msg_${message.messageId}` }))).toMatchObject({ kind: "rate-limited" });
    resend.failNext(1, { status: 422 });
    expect(await failure(failover.send(message, { idempotencyKey: `msg_${message.messageId}-b` }))).toMatchObject({ kind: "permanent" });
    expect(sentTo("slow-down@example.com")).toEqual({ resend: 0, smtp: 0 });
    expect(await listProviderBreakers(database.db, { keys: ["email:resend"] })).toEqual([]);
  });

  it("asks the provider that sent a message for its status", async () => {
    expect(await failover.getStatus({ workspaceId, providerMessageId: "<x@y>", provider: "smtp" })).toBeNull();
  });
});
