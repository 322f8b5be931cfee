import { publicUrl } from "@/lib/config/public-url";
import { decodeHtmlAttribute, escapeHtmlAttribute } from "./decode-html-attribute";
import { htmlTags } from "./html-tags";
import { MAX_CLICK_URL_BYTES } from "./tracking-token";
import { clickUrl, openPixelUrl, preferencesUrl, unsubscribeUrl } from "./tracking-urls";

export type EmailToInstrument = {
  html: string;
  text: string;
  /** messages.id: every token names it. */
  messageId: string;
  /** Where the links point; defaults to PUBLIC_URL. */
  baseUrl?: string;
  /**
   * The template placed `{{ unsubscribe_url }}` itself (see templateHasUnsubscribeLink), so the
   * reader already has a way out and no footer is added. Without it, only an <a> linking to
   * this message's unsubscribe URL counts.
   */
  templateHasUnsubscribeLink?: boolean;
};

export type InstrumentedEmail = {
  html: string;
  text: string;
  /** RFC 2369 List-Unsubscribe and RFC 8058 List-Unsubscribe-Post, for the provider call. */
  headers: Record<string, string>;
};

const LINK_TAGS = new Set(["a", "area"]);

/**
 * The URL a browser would follow for an href, or null when it is not one we track: not
 * http(s) (mailto:, tel:, #anchors, relative paths), unparseable, too long for a token, or
 * written with a character reference we cannot decode with certainty.
 */
function followedUrl(raw: string): string | null {
  const decoded = decodeHtmlAttribute(raw);
  if (decoded === null) return null;
  // The URL parser trims C0 controls and spaces at both ends and drops tabs and newlines inside.
  const url = decoded.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "").replace(/[\t\n\r]/g, "");
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) return null;
  return Buffer.byteLength(url, "utf8") <= MAX_CLICK_URL_BYTES ? url : null;
}

/** The way out, and the way to choose: unsubscribe, or pick categories and channels on the preference center. */
function unsubscribeFooter(url: string, preferences: string): string {
  const link = 'style="color:#6b7280;text-decoration:underline"';
  return (
    '<p style="margin:24px 0 0;font-family:Arial,Helvetica,sans-serif;font-size:12px;line-height:1.5;color:#6b7280;text-align:center">' +
    `Don&#39;t want these emails? <a href="${escapeHtmlAttribute(url)}" ${link}>Unsubscribe</a> · ` +
    `<a href="${escapeHtmlAttribute(preferences)}" ${link}>Manage your preferences</a></p>`
  );
}

function openPixel(url: string): string {
  return `<img src="${escapeHtmlAttribute(url)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;margin:0;padding:0" />`;
}

/**
 * Prepares a rendered email for sending with tracking: every http(s) link in an <a>/<area>
 * href goes through /t/c/:token (which carries the exact destination, so the redirect only
 * goes where the message pointed), a 1×1 pixel /t/o/:token is appended, and the recipient
 * always has a visible unsubscribe link: the template's own (placed with
 * `{{ unsubscribe_url }}`, see trackingVariables, as a link or as text) or a small footer. The text part gets the
 * unsubscribe URL too, and the headers carry the RFC 8058 one-click pair.
 *
 * Only the rewritten href values change; every other byte of the HTML is kept. Tokens are
 * deterministic, so instrumenting the same message again gives the same output.
 */
export function instrumentEmail(email: EmailToInstrument): InstrumentedEmail {
  const baseUrl = (email.baseUrl ?? publicUrl()).replace(/\/+$/, "");
  const { messageId, html } = email;
  const unsubscribe = unsubscribeUrl({ messageId, baseUrl });
  const unsubscribeHref = new URL(unsubscribe).href;
  const ownPrefixes = [`${baseUrl}/t/`, `${baseUrl}/u/`, `${baseUrl}/p/`];

  const edits: { start: number; end: number; text: string }[] = [];
  let hasUnsubscribeLink = email.templateHasUnsubscribeLink === true;
  let bodyEnd = -1;
  let htmlEnd = -1;
  for (const tag of htmlTags(html)) {
    if (tag.kind === "end") {
      if (tag.name === "body") bodyEnd = tag.start;
      else if (tag.name === "html") htmlEnd = tag.start;
      continue;
    }
    if (!LINK_TAGS.has(tag.name)) continue;
    const href = tag.attributes.find((attribute) => attribute.name === "href");
    const url = href && followedUrl(href.raw);
    if (!href || !url) continue;
    if (new URL(url).href === unsubscribeHref) {
      hasUnsubscribeLink = true;
      continue;
    }
    // Already ours (a re-instrumented body, or a template linking to tracking paths): never wrap twice.
    if (ownPrefixes.some((prefix) => url.startsWith(prefix))) continue;
    edits.push({ start: href.start, end: href.end, text: `"${escapeHtmlAttribute(clickUrl({ messageId, baseUrl, url }))}"` });
  }

  const pixel = openPixelUrl({ messageId, baseUrl });
  const appended = (hasUnsubscribeLink ? "" : unsubscribeFooter(unsubscribe, preferencesUrl({ messageId, baseUrl }))) + (html.includes(pixel) ? "" : openPixel(pixel));
  // Inside the body when there is one, so the footer renders where a reader looks for it.
  const insertAt = bodyEnd >= 0 ? bodyEnd : htmlEnd >= 0 ? htmlEnd : html.length;
  edits.push({ start: insertAt, end: insertAt, text: appended });

  let out = "";
  let cursor = 0;
  // Links after a stray </body> come later in the source than the insertion point.
  for (const edit of edits.sort((a, b) => a.start - b.start)) {
    out += html.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  out += html.slice(cursor);

  const text = email.text.includes(unsubscribe) ? email.text : `${email.text.trimEnd()}${email.text.trim() ? "\n\n" : ""}Unsubscribe: ${unsubscribe}`;
  return {
    html: out,
    text,
    headers: { "List-Unsubscribe": `<${unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}
