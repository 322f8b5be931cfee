import { displayWidth } from "./email-image-rules";

/** HTML attribute text; braces too, since a template body is Liquid and `{{` in an alt text would be read as a variable. */
function attribute(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/"/g, "&quot;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\{/g, "&#123;")
    .replace(/\}/g, "&#125;");
}

/**
 * The <img> an email builder writes: the width attribute is the shown width (Outlook's Word
 * engine ignores CSS sizes and would show a 1200 px image at 1200 px), and max-width with
 * height:auto lets it shrink on a phone.
 */
export function emailImageTag(image: { src: string; alt: string; pixelWidth: number }): string {
  const alt = image.alt.replace(/[\u0000-\u001f\u007f]/g, " ").trim();
  return `<img src="${attribute(image.src)}" alt="${attribute(alt)}" width="${displayWidth(image.pixelWidth)}" style="max-width:100%;height:auto">`;
}

/** Adds `tag` at the end of the body's content: before `</body>` when the body is a whole document, else at the end. */
export function insertIntoBody(body: string, tag: string): string {
  const close = body.search(/<\/body\s*>/i);
  if (close < 0) return `${body.replace(/\s+$/, "")}\n${tag}\n`;
  const before = body.slice(0, close).replace(/\s+$/, "");
  return `${before}\n${tag}\n${body.slice(close)}`;
}

/** The ids of the assets a body shows, in order of appearance (`…/assets/<id>/…` URLs). */
export function assetIdsInBody(body: string): string[] {
  const ids = [...body.matchAll(/\/assets\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\//gi)].map((match) => match[1]!.toLowerCase());
  return [...new Set(ids)];
}

/** "1.8 MB → 143 KB": what optimisation saved, in the decimal units people see in file browsers. */
export function byteSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
