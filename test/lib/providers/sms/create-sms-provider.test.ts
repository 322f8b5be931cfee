import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { createSmsProvider } from "@/lib/providers/sms/create-sms-provider";
import { OutboxSmsProvider } from "@/lib/providers/sms/outbox-sms-provider";
import { TwilioSmsProvider } from "@/lib/providers/sms/twilio/twilio-sms-provider";
import { type FakeTwilio, startFakeTwilio } from "@/test/fakes/fake-twilio";
import { createTestDatabase } from "@/test/support/database";

let database: Database;
let fake: FakeTwilio;

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeTwilio();
});
afterAll(async () => {
  await fake.stop();
  await database.close();
});

const twilio = { TWILIO_ACCOUNT_SID: "AC1", TWILIO_AUTH_TOKEN: "t", TWILIO_FROM: "+15005550006" };

describe("createSmsProvider", () => {
  it.each([
    ["nothing set → the local outbox", {}, OutboxSmsProvider],
    ["account SID, token and sender → Twilio", twilio, TwilioSmsProvider],
    ["SMS_PROVIDER=outbox wins over Twilio credentials", { ...twilio, SMS_PROVIDER: "outbox" }, OutboxSmsProvider],
    ["only TWILIO_FROM (the outbox's sender name) → the outbox", { TWILIO_FROM: "+15005550006" }, OutboxSmsProvider],
  ])("%s", (_name, env, expected) => {
    expect(createSmsProvider(database.db, env)).toBeInstanceOf(expected);
  });

  it.each([
    ["a SID without a token", { TWILIO_ACCOUNT_SID: "AC1", TWILIO_FROM: "+1500" }, /needs TWILIO_AUTH_TOKEN/],
    ["credentials without a sender", { TWILIO_ACCOUNT_SID: "AC1", TWILIO_AUTH_TOKEN: "t" }, /needs TWILIO_FROM/],
    ["SMS_PROVIDER=twilio with nothing", { SMS_PROVIDER: "twilio" }, /needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM/],
    ["an unknown SMS_PROVIDER", { SMS_PROVIDER: "vonage" }, /SMS_PROVIDER="vonage" is not one of: outbox, twilio/],
  ])("refuses %s with a clear error", (_name, env, message) => {
    expect(() => createSmsProvider(database.db, env)).toThrow(message);
  });

  it("sends to TWILIO_BASE_URL with the env's credentials, sender and status callback", async () => {
    const provider = createSmsProvider(database.db, {
      TWILIO_ACCOUNT_SID: fake.accountSid,
      TWILIO_AUTH_TOKEN: fake.authToken,
      TWILIO_FROM: "+15005550006",
      TWILIO_BASE_URL: fake.url,
      TWILIO_STATUS_CALLBACK_URL: "https://app.sendline.test/api/webhooks/twilio",
    });
    const { providerMessageId } = await provider.send(
      { workspaceId: randomUUID(), messageId: randomUUID(), to: "+447700900123", body: "hi" },
      { idempotencyKey: "factory" },
    );

    expect(fake.messages).toMatchObject([{ sid: providerMessageId, from: "+15005550006", statusCallback: expect.stringContaining("/api/webhooks/twilio?") }]);
  });
});
