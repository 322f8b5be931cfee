import { describe, expect, it } from "vitest";
import { ConfigError } from "@/core/config/env";
import type { Db } from "@/db";
import { createWhatsAppProvider, whatsappProviderChoice } from "@/lib/providers/whatsapp/create-whatsapp-provider";

const db = {} as Db;

describe("whatsappProviderChoice", () => {
  it.each([
    ["nothing set", {}, { provider: "outbox" }],
    ["the Cloud API's token and number id", { WHATSAPP_ACCESS_TOKEN: "t", WHATSAPP_PHONE_NUMBER_ID: "1" }, { provider: "meta", accessToken: "t", phoneNumberId: "1" }],
    ["only the token", { WHATSAPP_ACCESS_TOKEN: "t" }, { provider: "meta", missing: ["WHATSAPP_PHONE_NUMBER_ID"] }],
    ["a Twilio WhatsApp sender", { TWILIO_ACCOUNT_SID: "AC1", TWILIO_AUTH_TOKEN: "x", TWILIO_WHATSAPP_FROM: "+14155238886" }, { provider: "twilio", accountSid: "AC1", authToken: "x", from: "+14155238886" }],
    ["Twilio SMS credentials alone (no WhatsApp sender)", { TWILIO_ACCOUNT_SID: "AC1", TWILIO_AUTH_TOKEN: "x", TWILIO_FROM: "+1" }, { provider: "outbox" }],
    ["a forced Twilio without credentials", { WHATSAPP_PROVIDER: "twilio" }, { provider: "twilio", missing: ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_FROM"] }],
    ["a forced outbox over credentials", { WHATSAPP_PROVIDER: "outbox", WHATSAPP_ACCESS_TOKEN: "t", WHATSAPP_PHONE_NUMBER_ID: "1" }, { provider: "outbox" }],
  ])("%s", (_, env, choice) => {
    expect(whatsappProviderChoice(env)).toEqual(choice);
  });
});

describe("createWhatsAppProvider", () => {
  it("builds the provider chosen", () => {
    expect(createWhatsAppProvider(db, {}).name).toBe("outbox");
    expect(createWhatsAppProvider(db, { WHATSAPP_ACCESS_TOKEN: "t", WHATSAPP_PHONE_NUMBER_ID: "1" }).name).toBe("meta");
    expect(createWhatsAppProvider(db, { TWILIO_ACCOUNT_SID: "AC1", TWILIO_AUTH_TOKEN: "x", TWILIO_WHATSAPP_FROM: "+1" }).name).toBe("twilio");
  });

  it("fails a half configuration with a ConfigError naming what is missing", () => {
    expect(() => createWhatsAppProvider(db, { WHATSAPP_PHONE_NUMBER_ID: "1" })).toThrow(ConfigError);
    expect(() => createWhatsAppProvider(db, { WHATSAPP_PHONE_NUMBER_ID: "1" })).toThrow(/WHATSAPP_ACCESS_TOKEN/);
  });
});
