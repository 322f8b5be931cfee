import { readBodyText } from "@/lib/api/read-body";
import type { UnsubscribeVia } from "./unsubscribe-recipient";

/** RFC 8058's body is 26 bytes and our page's a few more: anything longer is not for us. */
const MAX_FORM_BYTES = 4_096;

/**
 * Tells our confirmation page (which adds `via=page`) from a mail client's one-click POST.
 * The answer only goes into the audit log: the signed token authorises the unsubscribe, so a
 * missing, odd or oversized body still unsubscribes, as "one-click".
 */
export async function unsubscribeVia(request: Request): Promise<UnsubscribeVia> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) return "one-click";
  try {
    const body = await readBodyText(request, MAX_FORM_BYTES);
    if (!body.ok) return "one-click";
    const form = await new Response(body.text, { headers: { "content-type": type } }).formData();
    return form.get("via") === "page" ? "page" : "one-click";
  } catch {
    return "one-click";
  }
}
