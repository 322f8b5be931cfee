import { NextResponse } from "next/server";
import { getDatabase } from "@/db";
import { apiError } from "@/lib/api/responses";
import { payloadTooLarge } from "@/lib/api/route";
import { envValue } from "@/core/config/env";
import { logInternalError } from "@/lib/errors/public-error-message";
import { acceptWebhook, WebhookEmitError } from "@/lib/webhooks/accept-webhook";
import { publicWebhookUrl } from "@/lib/webhooks/public-webhook-url";
import { isValidTwilioSignature } from "@/lib/providers/sms/twilio/twilio-signature";
import { twilioDelivery } from "@/lib/providers/sms/twilio/twilio-sms-event";
import { MAX_WEBHOOK_BODY_BYTES, readWebhookBody } from "@/lib/webhooks/webhook-body";
import { logger } from "@/lib/observability/logger";
import { limitWebhookRequest } from "@/lib/webhooks/webhook-rate-limit";
import { sendWebhookEvent } from "@/inngest/webhook-event-sender";

export const dynamic = "force-dynamic";

/** An empty TwiML answer: acknowledged, and no automatic reply to an inbound message. */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * Twilio's SMS status callbacks and inbound messages. Verified with X-Twilio-Signature over the
 * public URL, stored once per delivery (SID + status, or SID for inbound), then handed to
 * `process-sms-event` as an id-only event. Not behind API-key auth: the signature is.
 */
export async function POST(request: Request): Promise<Response> {
  const limited = limitWebhookRequest(request, "twilio");
  if (limited) return limited;
  const authToken = envValue("TWILIO_AUTH_TOKEN");
  if (!authToken) return apiError(503, "webhook_not_configured", "Twilio webhooks are not enabled: set TWILIO_AUTH_TOKEN");
  let url: string;
  try {
    url = publicWebhookUrl(request.url);
  } catch (error) {
    // Twilio signs the public URL it calls, so without a usable one nothing can be verified.
    return apiError(503, "webhook_not_configured", (error as Error).message);
  }

  const signature = request.headers.get("x-twilio-signature");
  if (!signature) return apiError(400, "missing_signature", "Missing X-Twilio-Signature header");
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    return apiError(415, "unsupported_media_type", "Twilio webhooks are application/x-www-form-urlencoded");
  }
  const rawBody = await readWebhookBody(request);
  if (rawBody === null) return payloadTooLarge(MAX_WEBHOOK_BODY_BYTES, "Webhook bodies");
  const fields = [...new URLSearchParams(rawBody)];
  if (!isValidTwilioSignature(authToken, url, fields, signature)) {
    return apiError(401, "invalid_signature", "The X-Twilio-Signature does not match this URL and body (check PUBLIC_URL and TWILIO_AUTH_TOKEN)");
  }

  const payload = { form: Object.fromEntries(fields), query: Object.fromEntries(new URL(request.url).searchParams) };
  const delivery = twilioDelivery(payload);
  if (!delivery.ok) return apiError(400, "invalid_payload", delivery.message);
  try {
    await acceptWebhook(
      (await getDatabase()).db,
      { provider: "twilio", deliveryId: delivery.deliveryId, type: delivery.type, payload },
      sendWebhookEvent,
    );
    return new NextResponse(EMPTY_TWIML, { status: 200, headers: { "Content-Type": "text/xml; charset=utf-8" } });
  } catch (error) {
    if (error instanceof WebhookEmitError) {
      logger.error({ err: error }, "webhooks/twilio: the event could not be queued");
      return apiError(503, "queue_unavailable", "The webhook could not be queued; redeliver it");
    }
    const errorId = logInternalError(error, { where: "webhooks/twilio" });
    return apiError(500, "internal_error", `Internal error (id ${errorId}): something went wrong on our side`);
  }
}
