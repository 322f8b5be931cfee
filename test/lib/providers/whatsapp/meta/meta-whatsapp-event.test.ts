import { describe, expect, it } from "vitest";
import { metaWebhookDeliveries, parseMetaWhatsAppEvent } from "@/lib/providers/whatsapp/meta/meta-whatsapp-event";
import { WebhookPayloadError } from "@/lib/webhooks/message-change";
import { whatsappInbound, whatsappStatus, whatsappWebhookBody } from "@/test/fakes/fake-whatsapp";

describe("metaWebhookDeliveries", () => {
  it("splits a POST into its statuses and inbound messages, each with its own key", () => {
    const inbound = whatsappInbound("14155550100", "hi", "wamid.in");
    const parsed = metaWebhookDeliveries(whatsappWebhookBody("123", { statuses: [whatsappStatus("wamid.a", "14155550100", "delivered")], messages: [inbound] }));
    expect(parsed).toMatchObject({
      ok: true,
      deliveries: [
        { deliveryId: "wamid.a:delivered", type: "message.delivered", payload: { kind: "status", phoneNumberId: "123" } },
        { deliveryId: "inbound:wamid.in", type: "message.inbound", payload: { kind: "inbound", phoneNumberId: "123" } },
      ],
    });
  });

  it("skips changes of other fields (account updates, template reviews)", () => {
    const body = { object: "whatsapp_business_account", entry: [{ changes: [{ field: "message_template_status_update", value: { event: "APPROVED" } }] }] };
    expect(metaWebhookDeliveries(body)).toEqual({ ok: true, deliveries: [] });
  });

  it.each([
    ["null", null],
    ["another object", { object: "instagram", entry: [] }],
    ["entries that are not a list", { object: "whatsapp_business_account", entry: {} }],
    ["a status with a non-numeric timestamp", whatsappWebhookBody("1", { statuses: [{ ...whatsappStatus("w", "1", "sent"), timestamp: "soon" }] })],
  ])("refuses %s", (_, body) => {
    const parsed = metaWebhookDeliveries(body);
    expect(parsed).toMatchObject({ ok: false, message: expect.stringContaining("Not a WhatsApp Business Account webhook") });
  });
});

describe("parseMetaWhatsAppEvent", () => {
  const status = (value: ReturnType<typeof whatsappStatus>) => parseMetaWhatsAppEvent({ kind: "status", phoneNumberId: "1", status: value });

  it.each([
    ["sent", { kind: "status", to: "sent" }],
    ["delivered", { kind: "status", to: "delivered" }],
    ["read", { kind: "engagement", engagement: "open" }],
    ["deleted", { kind: "none", reason: 'unknown WhatsApp status "deleted"' }],
  ])("maps %s", (name, change) => {
    expect(status(whatsappStatus("wamid.x", "1", name))).toMatchObject({ kind: "status", change });
  });

  it("keeps Meta's error on a failure, and Meta's time", () => {
    const value = { ...whatsappStatus("wamid.x", "1", "failed", { code: 131026, title: "Message undeliverable", details: "The number is not on WhatsApp" }), timestamp: "1764590400" };
    expect(status(value)).toEqual({
      kind: "status",
      wamid: "wamid.x",
      at: new Date(1764590400 * 1000),
      change: { kind: "status", to: "failed", error: "WhatsApp reported failed: Message undeliverable: The number is not on WhatsApp (code 131026)" },
    });
  });

  it("reads an inbound message's number in E.164 and a STOP keyword", () => {
    expect(parseMetaWhatsAppEvent({ kind: "inbound", phoneNumberId: "1", message: whatsappInbound("14155550100", " Stop ", "wamid.s") })).toMatchObject({
      kind: "inbound",
      phone: "+14155550100",
      keyword: { kind: "opt-out", word: "STOP" },
    });
    expect(parseMetaWhatsAppEvent({ kind: "inbound", phoneNumberId: "1", message: whatsappInbound("14155550100", "stop by later") })).toMatchObject({ keyword: null });
  });

  it("throws WebhookPayloadError for a stored row of another shape", () => {
    expect(() => parseMetaWhatsAppEvent({ form: {}, query: {} })).toThrow(WebhookPayloadError);
  });
});
