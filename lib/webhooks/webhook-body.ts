/**
 * Provider webhooks are a few KiB; anything near this is not one, and reading it whole would
 * only cost memory. Stored payloads also stay far below Postgres' comfortable jsonb sizes.
 */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

/** The raw body as text (signatures are over the exact bytes), or null when it is too large. */
export async function readWebhookBody(request: Request): Promise<string | null> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_WEBHOOK_BODY_BYTES) return null;
  const text = await request.text();
  return Buffer.byteLength(text, "utf8") > MAX_WEBHOOK_BODY_BYTES ? null : text;
}
