import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { compileTemplate } from "@/lib/templates/compile-template";
import { templateVariables } from "@/lib/templates/template-variables";
import { instrumentEmail } from "@/lib/tracking/instrument-email";
import { verifyTrackingToken } from "@/lib/tracking/tracking-token";
import { clickUrl, openPixelUrl, preferencesUrl, unsubscribeUrl } from "@/lib/tracking/tracking-urls";
import { templateHasUnsubscribeLink, trackingVariables } from "@/lib/tracking/tracking-variables";

const BASE = "https://sendline.localhost";
const MESSAGE_ID = "0b9f6a4e-6f1c-4c35-9d0e-3f3b2a1c0d9e";

beforeAll(() => {
  vi.stubEnv("TRACKING_SECRET", "test-secret-test-secret-test-secret");
});
afterAll(() => {
  vi.unstubAllEnvs();
});

const instrument = (html: string, text = "") => instrumentEmail({ html, text, messageId: MESSAGE_ID, baseUrl: BASE });
const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/gi)].map((match) => match[1]!);
/** Where a rewritten link sends the reader, read back from its token. */
const destination = (href: string) => verifyTrackingToken(href.slice(`${BASE}/t/c/`.length), "c")?.url;

describe("instrumentEmail", () => {
  it("sends every http(s) link through /t/c/:token carrying the exact destination", () => {
    const { html } = instrument(`<p><a href="https://shop.example/a">A</a> <a class="btn" HREF='http://shop.example/b?x=1'>B</a> <a href=https://shop.example/c>C</a></p>`);
    const links = hrefs(html).slice(0, 3);
    expect(links.every((href) => href.startsWith(`${BASE}/t/c/`))).toBe(true);
    expect(links.map(destination)).toEqual(["https://shop.example/a", "http://shop.example/b?x=1", "https://shop.example/c"]);
    expect(html).toContain('<a class="btn" HREF="');
  });

  it("decodes character references before signing, so the redirect goes where the browser would", () => {
    const { html } = instrument(`<a href="https://shop.example/?a=1&amp;b=2&#38;c=3">x</a><a href="  https://shop.example/trim  ">y</a>`);
    expect(hrefs(html).slice(0, 2).map(destination)).toEqual(["https://shop.example/?a=1&b=2&c=3", "https://shop.example/trim"]);
  });

  it.each([
    ["mailto:", `<a href="mailto:help@example.com">mail</a>`],
    ["tel:", `<a href="tel:+15550100">call</a>`],
    ["an anchor", `<a href="#section">jump</a>`],
    ["a relative path", `<a href="/account">account</a>`],
    ["javascript:", `<a href="javascript:void(0)">nothing</a>`],
    ["an undecodable reference", `<a href="https://shop.example/&hearts;">love</a>`],
    ["a link inside a comment", `<!-- <a href="https://shop.example/">x</a> -->`],
    ["a stylesheet link", `<link rel="stylesheet" href="https://cdn.example/s.css">`],
  ])("leaves %s alone", (_case, markup) => {
    expect(instrument(markup).html.startsWith(markup)).toBe(true);
  });

  it("keeps everything but the rewritten href values byte for byte", () => {
    const source = `<!DOCTYPE html>\n<html><head><style>a{color:red}</style></head>\n<body class="x">\n  <table><tr><td><a data-id=7 href="https://shop.example/a" target=_blank>Shop &amp; save</a></td></tr></table>\n</body></html>`;
    const { html } = instrument(source);
    const link = hrefs(html)[0]!;
    expect(html.replace(`"${link}"`, `"https://shop.example/a"`).replace(/<p style=[\s\S]*<\/body>/, "</body>")).toBe(source);
  });

  it("appends the open pixel and a footer to unsubscribe or manage preferences inside the body", () => {
    const { html } = instrument(`<html><body><p>Hi</p></body></html>`);
    const pixel = openPixelUrl({ messageId: MESSAGE_ID, baseUrl: BASE });
    const unsubscribe = unsubscribeUrl({ messageId: MESSAGE_ID, baseUrl: BASE });
    const preferences = preferencesUrl({ messageId: MESSAGE_ID, baseUrl: BASE });
    expect(html).toMatch(new RegExp(`^<html><body><p>Hi</p><p style="[^"]*">Don&#39;t want these emails\\? <a href="${unsubscribe}"[^>]*>Unsubscribe</a> · <a href="${preferences}"[^>]*>Manage your preferences</a></p><img src="${pixel}" width="1" height="1" alt="" [^>]*/></body></html>$`));
  });

  it("appends at the end of a fragment", () => {
    const { html } = instrument(`<p>Hi</p>`);
    expect(html.startsWith("<p>Hi</p><p style=")).toBe(true);
    expect(html.endsWith("/>")).toBe(true);
  });

  it("uses the template's own unsubscribe link (no footer, not click-tracked) when it has one", async () => {
    const template = compileTemplate({ channel: "email", subject: "News", body: `<p>News for {{ contact.first_name }}</p><p><a href="{{ unsubscribe_url }}">Stop these</a></p>` });
    // The caller's data comes first, so a stray unsubscribe_url in it cannot replace the real one.
    const data: Record<string, unknown> = { unsubscribe_url: "https://elsewhere.example/" };
    const variables = templateVariables({ ...data, ...trackingVariables({ messageId: MESSAGE_ID, baseUrl: BASE }) });
    const rendered = await template.render({ ...variables, contact: { first_name: "Ann" } });
    if (rendered.channel !== "email") throw new Error("expected an email");
    const { html, text } = instrumentEmail({ html: rendered.html, text: rendered.text, messageId: MESSAGE_ID, baseUrl: BASE });
    const unsubscribe = unsubscribeUrl({ messageId: MESSAGE_ID, baseUrl: BASE });
    expect(hrefs(html)).toEqual([unsubscribe]);
    expect(html).not.toContain("Don&#39;t want these emails");
    expect(text.match(new RegExp(unsubscribe.replace(/[.]/g, "\\."), "g"))).toHaveLength(1);
  });

  it.each([
    ["as plain text", "<p>News</p><p>Unsubscribe: {{ unsubscribe_url }}</p>"],
    ["in a link of its own shape", '<p>News</p><a href="{{ unsubscribe_url }}?from=footer">Leave</a>'],
    ["in a button", '<p>News</p><table><tr><td><a href="{{ unsubscribe_url }}" class="btn">Stop</a></td></tr></table>'],
  ])("adds no footer when the template places {{ unsubscribe_url }} itself (%s), deciding by what the template used", async (_case, body) => {
    const template = compileTemplate({ channel: "email", subject: "News", body });
    expect(templateHasUnsubscribeLink(template)).toBe(true);
    const rendered = await template.render(templateVariables(trackingVariables({ messageId: MESSAGE_ID, baseUrl: BASE })));
    if (rendered.channel !== "email") throw new Error("expected an email");
    const { html } = instrumentEmail({ html: rendered.html, text: rendered.text, messageId: MESSAGE_ID, baseUrl: BASE, templateHasUnsubscribeLink: true });
    expect(html).not.toContain("Don&#39;t want these emails");
    expect(html).toContain(unsubscribeUrl({ messageId: MESSAGE_ID, baseUrl: BASE }));
  });

  it("adds the footer when the template does not use {{ unsubscribe_url }}, or only in the subject", async () => {
    for (const template of [
      compileTemplate({ channel: "email", subject: "News", body: "<p>News, no way out</p>" }),
      compileTemplate({ channel: "email", subject: "News {{ unsubscribe_url }}", body: "<p>News</p>" }),
    ]) {
      expect(templateHasUnsubscribeLink(template)).toBe(false);
      const rendered = await template.render(templateVariables(trackingVariables({ messageId: MESSAGE_ID, baseUrl: BASE })));
      if (rendered.channel !== "email") throw new Error("expected an email");
      const { html } = instrumentEmail({ html: rendered.html, text: rendered.text, messageId: MESSAGE_ID, baseUrl: BASE, templateHasUnsubscribeLink: false });
      expect(html).toContain("Don&#39;t want these emails");
    }
  });

  it("adds the unsubscribe URL to the text part once", () => {
    const unsubscribe = unsubscribeUrl({ messageId: MESSAGE_ID, baseUrl: BASE });
    expect(instrument("<p>Hi</p>", "Hi\n\n").text).toBe(`Hi\n\nUnsubscribe: ${unsubscribe}`);
    expect(instrument("<p>Hi</p>", "").text).toBe(`Unsubscribe: ${unsubscribe}`);
  });

  it("returns the RFC 8058 one-click headers", () => {
    expect(instrument("<p>Hi</p>").headers).toEqual({
      "List-Unsubscribe": `<${unsubscribeUrl({ messageId: MESSAGE_ID, baseUrl: BASE })}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
  });

  it("is idempotent: instrumenting twice changes nothing more", () => {
    const once = instrument(`<body><a href="https://shop.example/">x</a></body>`, "x");
    const twice = instrumentEmail({ ...once, messageId: MESSAGE_ID, baseUrl: BASE });
    expect(twice.html).toBe(once.html);
    expect(twice.text).toBe(once.text);
  });

  it("leaves a link to a destination too long for a token untracked", () => {
    const long = `https://shop.example/${"a".repeat(2_000)}`;
    expect(hrefs(instrument(`<a href="${long}">x</a>`).html)[0]).toBe(long);
  });

  it("builds links on PUBLIC_URL when no base URL is given", () => {
    vi.stubEnv("PUBLIC_URL", "http://localhost:4000/");
    const { headers } = instrumentEmail({ html: "<p>Hi</p>", text: "Hi", messageId: MESSAGE_ID });
    expect(headers["List-Unsubscribe"]).toMatch(/^<http:\/\/localhost:4000\/u\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+>$/);
    vi.stubEnv("PUBLIC_URL", undefined);
  });

  it("signs click URLs the same way clickUrl does", () => {
    const { html } = instrument(`<a href="https://shop.example/">x</a>`);
    expect(hrefs(html)[0]).toBe(clickUrl({ messageId: MESSAGE_ID, baseUrl: BASE, url: "https://shop.example/" }));
  });
});
