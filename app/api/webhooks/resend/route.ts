import { NextResponse } from "next/server";
import { getDatabase } from "@/db";
import { apiError } from "@/lib/api/responses";
import { payloadTooLarge } from "@/lib/api/route";
import { envValue } from "@/core/config/env";
import { logInternalError } from "@/lib/errors/public-error-message";
import { acceptWebhook, WebhookEmitError } from "@/lib/webhooks/accept-webhook";
import { isUsableSvixSecret, verifyResendWebhook } from "@/lib/providers/email/resend/verify-resend-webhook";
import { MAX_WEBHOOK_BODY_BYTES, readWebhookBody } from "@/lib/webhooks/webhook-body";
import { logger } from "@/lib/observability/logger";
import { limitWebhookRequest } from "@/lib/webhooks/webhook-rate-limit";
import { sendWebhookEvent } from "@/inngest/webhook-event-sender";

export const dynamic = "force-dynamic";

/**
 * Resend's delivery webhooks (signed by Svix). Verified on the raw body, stored once per
 * svix-id, then handed to `process-email-event` as an id-only event. Not behind API-key auth:
 * the signature is the authentication.
 */
export async function POST(request: Request): Promise<Response> {
  const limited = limitWebhookRequest(request, "resend");
  if (limited) return limited;
  const secret = envValue("RESEND_WEBHOOK_SECRET");
  if (!secret) return apiError(503, "webhook_not_configured", "Resend webhooks are not enabled: set RESEND_WEBHOOK_SECRET (whsec_…)");
  if (!isUsableSvixSecret(secret)) return apiError(503, "webhook_not_configured", "RESEND_WEBHOOK_SECRET is not a valid whsec_… signing secret");

  const rawBody = await readWebhookBody(request);
  if (rawBody === null) return payloadTooLarge(MAX_WEBHOOK_BODY_BYTES, "Webhook bodies");
  const verified = verifyResendWebhook(rawBody, request.headers, secret);
  if (!verified.ok) return apiError(verified.status, verified.code, verified.message);

  const type = typeof verified.payload.type === "string" ? verified.payload.type : "unknown";
  try {
    const outcome = await acceptWebhook(
      (await getDatabase()).db,
      { provider: "resend", deliveryId: verified.deliveryId, type, payload: verified.payload },
      sendWebhookEvent,
    );
    return NextResponse.json({ received: true, duplicate: outcome === "duplicate" });
  } catch (error) {
    if (error instanceof WebhookEmitError) {
      logger.error({ err: error }, "webhooks/resend: the event could not be queued");
      return apiError(503, "queue_unavailable", "The webhook could not be queued; redeliver it");
    }
    const errorId = logInternalError(error, { where: "webhooks/resend" });
    return apiError(500, "internal_error", `Internal error (id ${errorId}): something went wrong on our side`);
  }
}
