import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listProviderHealth } from "@/lib/providers/provider-health";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
beforeAll(async () => {
  database = await useTestDatabase();
});
afterAll(() => database.close());

describe("listProviderHealth", () => {
  it("lists every channel's provider in the channels' order, the outbox by default", async () => {
    const health = await listProviderHealth(database.db, {});
    expect(health.map((entry) => [entry.channel, entry.provider])).toEqual([
      ["email", "outbox"],
      ["sms", "outbox"],
      ["whatsapp", "outbox"],
      ["push", "outbox"],
    ]);
  });

  it("shows the Cloud API, and what a half configuration lacks, never a secret", async () => {
    const ready = await listProviderHealth(database.db, { WHATSAPP_ACCESS_TOKEN: "EAAGsecret", WHATSAPP_PHONE_NUMBER_ID: "123" });
    expect(ready.find((entry) => entry.channel === "whatsapp")).toMatchObject({ provider: "meta", missing: null, position: 1, breaker: { state: "closed" } });
    expect(JSON.stringify(ready)).not.toContain("EAAGsecret");
    const half = await listProviderHealth(database.db, { WHATSAPP_PROVIDER: "twilio", TWILIO_ACCOUNT_SID: "AC1" });
    expect(half.find((entry) => entry.channel === "whatsapp")).toMatchObject({ provider: "twilio", missing: "TWILIO_AUTH_TOKEN, TWILIO_WHATSAPP_FROM" });
  });
});
