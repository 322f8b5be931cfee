/**
 * Headers for every page and pixel behind a tracking link. The token in the URL is a
 * capability, so it must not leak through Referer, caches or search indexes; the pages load
 * nothing remote and post only to themselves.
 */
export const TRACKING_RESPONSE_HEADERS = {
  "Cache-Control": "no-store, max-age=0",
  "Referrer-Policy": "no-referrer",
  "X-Robots-Tag": "noindex, nofollow",
  "X-Content-Type-Options": "nosniff",
} as const;

export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const STYLE =
  "body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;background:#f6f7f9;color:#111827}" +
  "main{max-width:28rem;margin:12vh auto;padding:2rem;background:#fff;border:1px solid #e5e7eb;border-radius:12px}" +
  "h1{font-size:1.25rem;margin:0 0 .75rem}p{line-height:1.5;margin:0 0 1.25rem;color:#374151}" +
  "button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:8px;background:#111827;color:#fff;cursor:pointer}";

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * A small self-contained HTML page. `confirm` adds a POST form back to the same URL whose body
 * is the RFC 8058 one (plus `via=page`), so the page and mail clients share one code path; `link`
 * adds one same-site link under it (the unsubscribe page's way to the preference center).
 */
export function trackingPage(params: { status: number; title: string; message: string; confirm?: string; link?: { href: string; text: string } }): Response {
  const form = params.confirm
    ? '<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">' +
      `<input type="hidden" name="via" value="page"><button type="submit">${escapeHtml(params.confirm)}</button></form>`
    : "";
  const link = params.link ? `<p><a href="${escapeHtml(params.link.href)}">${escapeHtml(params.link.text)}</a></p>` : "";
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex,nofollow"><title>${escapeHtml(params.title)}</title><style>${STYLE}</style></head>` +
    `<body><main><h1>${escapeHtml(params.title)}</h1><p>${escapeHtml(params.message)}</p>${form}${link}</main></body></html>`;
  return new Response(html, {
    status: params.status,
    headers: { ...TRACKING_RESPONSE_HEADERS, "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": PAGE_CSP },
  });
}

export const invalidLinkPage = () =>
  trackingPage({ status: 404, title: "This link is not valid", message: "The link may have been copied incompletely. Please use the link from the email itself." });
