import { envValue } from "@/core/config/env";

export type BodyText = { ok: true; text: string } | { ok: false; limitBytes: number };

/** The JSON body cap (API_MAX_BODY_BYTES, 1 MiB by default): far above any request the API takes. */
export const apiMaxBodyBytes = () => envValue("API_MAX_BODY_BYTES");

/**
 * A request body as UTF-8 text, read as a stream and abandoned the moment it passes
 * `maxBytes`, so an oversized body costs at most `maxBytes` of memory whatever the client
 * claims. A declared Content-Length over the cap is refused before the first byte is read;
 * one that lies (or is absent, as with chunked uploads) is caught by the count.
 */
export async function readBodyText(request: Request, maxBytes: number = apiMaxBodyBytes()): Promise<BodyText> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await request.body?.cancel().catch(() => {});
    return { ok: false, limitBytes: maxBytes };
  }
  if (!request.body) return { ok: true, text: "" };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return { ok: false, limitBytes: maxBytes };
    }
    chunks.push(value);
  }
  return { ok: true, text: Buffer.concat(chunks).toString("utf8") };
}
