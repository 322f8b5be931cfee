import { CHANNEL_LABELS } from "@/core/messages/channels";
import { escapeHtml, PAGE_CSP, TRACKING_RESPONSE_HEADERS } from "@/lib/tracking/tracking-page";
import { cellField, type PreferenceCenter } from "./preference-center";

const STYLE =
  "body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;background:#f6f7f9;color:#111827}" +
  "main{max-width:44rem;margin:8vh auto;padding:2rem;background:#fff;border:1px solid #e5e7eb;border-radius:12px}" +
  "h1{font-size:1.25rem;margin:0 0 .5rem}p{line-height:1.5;margin:0 0 1rem;color:#374151}" +
  "table{width:100%;border-collapse:collapse;margin:0 0 1.25rem}th,td{padding:.6rem .5rem;border-bottom:1px solid #e5e7eb;text-align:center}" +
  "th:first-child,td:first-child{text-align:left}td small{display:block;color:#6b7280}.locked{color:#6b7280;font-size:.8rem}" +
  ".notice{background:#ecfdf5;color:#065f46;padding:.6rem .8rem;border-radius:8px}" +
  "input[type=checkbox]{width:1.1rem;height:1.1rem}" +
  "button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:8px;background:#111827;color:#fff;cursor:pointer}";

function checkbox(name: string, label: string, checked: boolean, locked: boolean): string {
  return `<input type="checkbox" name="${escapeHtml(name)}" aria-label="${escapeHtml(label)}"${checked ? " checked" : ""}${locked ? " disabled" : ""}>`;
}

/**
 * The preference center: a plain form (no script, so it works in any browser and under the strict
 * CSP the tracking pages share) posting back to its own signed URL. Required categories are shown
 * ticked and locked.
 */
export function preferenceCenterPage(center: PreferenceCenter, options: { saved: boolean }): Response {
  const head = center.channels.map((channel) => `<th scope="col">${escapeHtml(CHANNEL_LABELS[channel])}</th>`).join("");
  const rows = center.matrix.categories.map((category) => {
    const cells = center.channels
      .map((channel) => `<td>${checkbox(cellField(category.key, channel), `${category.name} by ${CHANNEL_LABELS[channel]}`, category.channels[channel]!.enabled, category.required)}</td>`)
      .join("");
    const note = category.required ? '<span class="locked"> (required: always sent)</span>' : "";
    const description = category.description ? `<small>${escapeHtml(category.description)}</small>` : "";
    return `<tr><td>${escapeHtml(category.name)}${note}${description}</td>${cells}</tr>`;
  });
  const wide = center.channels
    .map((channel) => `<td>${checkbox(cellField(null, channel), `Other messages by ${CHANNEL_LABELS[channel]}`, center.matrix.channels[channel]!.enabled, false)}</td>`)
    .join("");
  rows.push(`<tr><td>Other messages<small>Anything not in a category above</small></td>${wide}</tr>`);
  const notice = options.saved ? '<p class="notice" role="status">Your preferences are saved.</p>' : "";
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex,nofollow"><title>Your preferences</title><style>${STYLE}</style></head><body><main>` +
    `<h1>Your preferences</h1>${notice}<p>Choose what we send you, and where.</p>` +
    `<form method="post"><table><thead><tr><th scope="col">Topic</th>${head}</tr></thead><tbody>${rows.join("")}</tbody></table>` +
    `<button type="submit">Save preferences</button></form></main></body></html>`;
  return new Response(html, { status: 200, headers: { ...TRACKING_RESPONSE_HEADERS, "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": PAGE_CSP } });
}
