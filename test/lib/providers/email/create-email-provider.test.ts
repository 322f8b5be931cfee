import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { insertWorkspace } from "@/db/queries/workspaces";
import { createEmailProvider } from "@/lib/providers/email/create-email-provider";
import { OutboxEmailProvider } from "@/lib/providers/email/outbox-email-provider";
import { ResendEmailProvider } from "@/lib/providers/email/resend/resend-email-provider";
import { type FakeResend, startFakeResend } from "@/test/fakes/fake-resend";
import { createTestDatabase } from "@/test/support/database";

let database: Database;
let fake: FakeResend;

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeResend({ rateLimit: false });
});
afterAll(async () => {
  await fake.stop();
  await database.close();
});

describe("createEmailProvider", () => {
  it.each([
    ["nothing set → the local outbox", {}, OutboxEmailProvider],
    ["RESEND_API_KEY set → Resend", { RESEND_API_KEY: "re_x" }, ResendEmailProvider],
    ["EMAIL_PROVIDER=outbox wins over a key", { RESEND_API_KEY: "re_x", EMAIL_PROVIDER: "outbox" }, OutboxEmailProvider],
    ["EMAIL_PROVIDER=resend with a key", { RESEND_API_KEY: "re_x", EMAIL_PROVIDER: "resend" }, ResendEmailProvider],
    ["case and spaces in EMAIL_PROVIDER are forgiven", { RESEND_API_KEY: "re_x", EMAIL_PROVIDER: " Resend " }, ResendEmailProvider],
    ["an empty key counts as unset", { RESEND_API_KEY: "  " }, OutboxEmailProvider],
  ])("%s", (_name, env, expected) => {
    expect(createEmailProvider(database.db, env)).toBeInstanceOf(expected);
  });

  it.each([
    ["EMAIL_PROVIDER=resend without a key", { EMAIL_PROVIDER: "resend" }, /EMAIL_PROVIDER=resend needs RESEND_API_KEY/],
    ["an unknown EMAIL_PROVIDER", { EMAIL_PROVIDER: "sendgrid" }, /EMAIL_PROVIDER="sendgrid" is not one of: outbox, resend/],
  ])("refuses %s with a clear error", (_name, env, message) => {
    expect(() => createEmailProvider(database.db, env)).toThrow(message);
  });

  it("sends to RESEND_BASE_URL from the env it is given, with that env's key", async () => {
    const provider = createEmailProvider(database.db, { RESEND_API_KEY: fake.apiKey, RESEND_BASE_URL: fake.url });
    const message = {
      workspaceId: randomUUID(),
      messageId: randomUUID(),
      from: "hello@sendline.test",
      to: "ann@example.com",
      subject: "Hi",
      html: "<p>Hi</p>",
      text: "Hi",
    };
    const { providerMessageId } = await provider.send(message, { idempotencyKey: "factory" });

    expect(fake.emails.map((email) => email.id)).toEqual([providerMessageId]);
  });

  it("gives an outbox that writes to the database it was handed", async () => {
    const provider = createEmailProvider(database.db, {});
    const workspace = await insertWorkspace(database.db, { name: "factory" });
    const { providerMessageId } = await provider.send(
      { workspaceId: workspace.id, messageId: randomUUID(), from: "a@sendline.test", to: "b@example.com", subject: "s", html: "h", text: "t" },
      { idempotencyKey: "factory-outbox" },
    );
    expect(await provider.getStatus({ workspaceId: workspace.id, providerMessageId })).toBe("delivered");
  });
});
