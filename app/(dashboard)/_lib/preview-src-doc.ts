/**
 * What the outbox preview may load: inline styles and data: images and fonts, nothing from
 * the network. Stored mail carries open pixels and remote images; fetching them from the
 * dashboard would count fake opens and tell senders an operator looked.
 */
export const PREVIEW_CSP =
  "default-src 'none'; img-src data:; media-src data:; font-src data:; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'";

const LEADING_DOCTYPE = /^\s*<!doctype[^>]*>/i;

/**
 * The stored HTML with a Content-Security-Policy <meta> put first, for the sandboxed iframe's
 * srcdoc. A policy cannot be loosened by later markup (every policy on a page applies), so
 * nothing in the message can undo it. It goes after a leading doctype so the message still
 * renders in the mode it was written for.
 */
export function previewSrcDoc(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${PREVIEW_CSP}">`;
  const doctype = LEADING_DOCTYPE.exec(html)?.[0] ?? "";
  return `${doctype}${meta}${html.slice(doctype.length)}`;
}
