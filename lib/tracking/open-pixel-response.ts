import { TRACKING_RESPONSE_HEADERS } from "./tracking-page";

/** The smallest transparent 1×1 GIF (42 bytes). */
export const TRANSPARENT_GIF = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

/**
 * The open pixel's answer, whatever happened: an email must render the same with a broken or
 * forged token. no-store so every open reaches us instead of a cache.
 */
export function openPixelResponse(method: "GET" | "HEAD" = "GET"): Response {
  return new Response(method === "HEAD" ? null : new Uint8Array(TRANSPARENT_GIF), {
    status: 200,
    headers: {
      ...TRACKING_RESPONSE_HEADERS,
      "Cache-Control": "no-store, no-cache, must-revalidate, private, max-age=0",
      Pragma: "no-cache",
      Expires: "0",
      "Content-Type": "image/gif",
      "Content-Length": String(TRANSPARENT_GIF.length),
    },
  });
}
