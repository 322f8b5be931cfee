import type { RenderedInApp } from "@/lib/templates/compile-template";

/**
 * What an inbox row shows: the rendered heading and body, the notification's data as given (the
 * customer's frontend reads it), and `data.actionUrl` as the message's link when it is an
 * absolute http(s) URL. Anything else (a `javascript:` URL, a relative path) is left out of the
 * link, since the embedded component would put it in an href.
 */
export function inAppContent(
  rendered: RenderedInApp,
  data: Record<string, unknown>,
): { title: string | null; body: string; actionUrl: string | null; data: Record<string, unknown> } {
  return { title: rendered.title, body: rendered.text, actionUrl: safeActionUrl(data.actionUrl), data };
}

export function safeActionUrl(value: unknown): string | null {
  if (typeof value !== "string") return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}
