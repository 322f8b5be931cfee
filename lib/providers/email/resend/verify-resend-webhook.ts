import { Webhook, WebhookVerificationError } from "svix";

export type ResendWebhookVerification =
  | { ok: true; deliveryId: string; payload: Record<string, unknown> }
  | { ok: false; status: 400 | 401; code: string; message: string };

/**
 * Checks a Resend (Svix) webhook against the raw body as received: re-serialised JSON would not
 * match the signature. Svix rejects timestamps more than 5 minutes off, which is what stops a
 * captured request from being replayed later.
 */
export function verifyResendWebhook(rawBody: string, headers: Headers, secret: string): ResendWebhookVerification {
  const svixHeaders = {
    "svix-id": headers.get("svix-id") ?? "",
    "svix-timestamp": headers.get("svix-timestamp") ?? "",
    "svix-signature": headers.get("svix-signature") ?? "",
  };
  const missing = Object.entries(svixHeaders)
    .filter(([, value]) => value === "")
    .map(([name]) => name);
  if (missing.length > 0) {
    return { ok: false, status: 400, code: "missing_signature", message: `Missing webhook signature headers: ${missing.join(", ")}` };
  }
  let payload: unknown;
  try {
    payload = new Webhook(secret).verify(rawBody, svixHeaders);
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      if (/timestamp/i.test(error.message) && !/invalid/i.test(error.message)) {
        return { ok: false, status: 401, code: "expired_signature", message: `The webhook timestamp is outside the 5-minute tolerance (${error.message})` };
      }
      if (/invalid signature headers/i.test(error.message)) {
        return { ok: false, status: 400, code: "invalid_signature_headers", message: "svix-timestamp is not a Unix timestamp" };
      }
      return { ok: false, status: 401, code: "invalid_signature", message: "The webhook signature does not match its body" };
    }
    // Verified, but not JSON: a signed body we cannot read is still bad input.
    if (error instanceof SyntaxError) return { ok: false, status: 400, code: "invalid_json", message: "The webhook body is not valid JSON" };
    throw error;
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    return { ok: false, status: 400, code: "invalid_payload", message: "The webhook body is not a JSON object" };
  }
  return { ok: true, deliveryId: svixHeaders["svix-id"], payload: payload as Record<string, unknown> };
}

/** A secret Svix cannot decode is a configuration error, reported as such rather than as a bad signature. */
export function isUsableSvixSecret(secret: string): boolean {
  try {
    new Webhook(secret);
    return true;
  } catch {
    return false;
  }
}
