import { readBodyText } from "@/lib/api/read-body";

/**
 * Provider webhooks are a few KiB; anything near this is not one, and reading it whole would
 * only cost memory. Stored payloads also stay far below Postgres' comfortable jsonb sizes.
 */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

/** The raw body as text (signatures are over the exact bytes), or null past the cap (read no further). */
export async function readWebhookBody(request: Request): Promise<string | null> {
  const body = await readBodyText(request, MAX_WEBHOOK_BODY_BYTES);
  return body.ok ? body.text : null;
}
