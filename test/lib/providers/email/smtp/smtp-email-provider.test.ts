import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SENDLINE_HEADERS } from "@/lib/providers/email/sendline-headers";
import { SmtpEmailProvider, smtpMessageId } from "@/lib/providers/email/smtp/smtp-email-provider";
import { ProviderError } from "@/lib/providers/errors";
import { type FakeSmtp, startFakeSmtp } from "@/test/fakes/fake-smtp";
import { freePort } from "@/test/support/free-port";

let smtp: FakeSmtp;
let provider: SmtpEmailProvider;
const workspaceId = randomUUID();

beforeAll(async () => {
  smtp = await startFakeSmtp();
  provider = new SmtpEmailProvider({ url: smtp.url, maxConnections: 3, timeoutMs: 1_000 });
});
afterAll(async () => {
  provider.close();
  await smtp.stop();
});

const email = (to: string, extra: { campaignId?: string } = {}) => ({
  workspaceId,
  messageId: randomUUID(),
  from: "Sendline <hello@sendline.test>",
  to,
  subject: `Hi ${to}`,
  html: "<p>Hi</p>",
  text: "Hi",
  ...extra,
});

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => null, (reason: unknown) => reason);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe("SmtpEmailProvider against a loopback SMTP server", () => {
  it("sends with authentication, the Sendline headers and a Message-ID made from the message id", async () => {
    const message = email("ann@example.com", { campaignId: randomUUID() });
    const result = await provider.send(message);
    expect(result).toEqual({ providerMessageId: `<${message.messageId}@sendline.test>`, provider: "smtp" });
    const received = smtp.messages.at(-1)!;
    expect(received).toMatchObject({ messageId: result.providerMessageId, to: ["ann@example.com"], from: "hello@sendline.test", subject: "Hi ann@example.com" });
    expect(received.headers.get(SENDLINE_HEADERS.messageId.toLowerCase())).toBe(message.messageId);
    expect(received.headers.get(SENDLINE_HEADERS.campaignId.toLowerCase())).toBe(message.campaignId);
    // A retry of the same message carries the same Message-ID.
    expect(smtpMessageId(message)).toBe(result.providerMessageId);
  });

  it("sends a batch over the pool and gives each message its own slot", async () => {
    const messages = Array.from({ length: 8 }, (_, i) => email(`batch${i}@example.com`));
    const before = smtp.messages.length;
    const results = await provider.sendBatch(messages);
    expect(results.every((result) => result.ok && result.provider === "smtp")).toBe(true);
    expect(smtp.messages.length - before).toBe(8);
    expect(smtp.duplicateSends()).toEqual([]);
  });

  it("fails only the refused recipient's slot when the server answers 5xx", async () => {
    smtp.failNext(1, { code: 550, at: "rcpt" });
    const [refused, sent] = await provider.sendBatch([email("nobody@example.com"), email("someone@example.com")]);
    expect(refused).toMatchObject({ ok: false, error: expect.stringContaining("550") });
    expect(sent).toMatchObject({ ok: true });
  });

  it.each([
    ["a 5xx reply to RCPT TO", { code: 550, at: "rcpt" as const }, { kind: "permanent", details: { status: 550, notAccepted: true } }],
    ["a 4xx reply after DATA", { code: 451, at: "data" as const }, { kind: "transient", details: { status: 451, notAccepted: true } }],
  ])("maps %s", async (_name, injected, expected) => {
    smtp.failNext(1, injected);
    expect(await failure(provider.send(email("map@example.com")))).toMatchObject(expected);
  });

  it("says a timeout after the message was written may have sent it (not notAccepted)", async () => {
    smtp.failNext(1, { hang: true });
    const error = await failure(provider.send(email("slow@example.com")));
    expect(error).toMatchObject({ kind: "transient", details: { code: "ETIMEDOUT", notAccepted: false } });
  });

  it("says a refused connection certainly sent nothing", async () => {
    const down = new SmtpEmailProvider({ url: `smtp://u:p@127.0.0.1:${await freePort()}`, timeoutMs: 1_000 });
    const error = await failure(down.send(email("down@example.com")));
    expect(error).toMatchObject({ kind: "transient", details: { notAccepted: true } });
    down.close();
  });

  it("treats wrong credentials as the provider being unusable, with nothing sent", async () => {
    const wrong = new SmtpEmailProvider({ url: smtp.url.replace(/:[^:@/]+@/, ":wrong@"), timeoutMs: 1_000 });
    const error = await failure(wrong.send(email("auth@example.com")));
    expect(error).toMatchObject({ kind: "transient", details: { code: "EAUTH", notAccepted: true } });
    wrong.close();
  });

  it("cannot tell a message's fate afterwards", async () => {
    expect(await provider.getStatus({ workspaceId, providerMessageId: "<x@y>" })).toBeNull();
  });
});
