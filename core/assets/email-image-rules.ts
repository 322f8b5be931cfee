/**
 * What an image dropped into an email becomes (issue 17): pure rules, so the API, the canvas and
 * the tests agree on them. The sharp call that applies them is lib/assets/optimise-image.ts.
 */

/** The width an email's content column is designed for: the common 600 px layout. */
export const EMAIL_COLUMN_WIDTH_PX = 600;
/** Twice the column, so the image stays sharp on high-density screens (it is shown at half size). */
export const EMAIL_IMAGE_MAX_WIDTH_PX = 2 * EMAIL_COLUMN_WIDTH_PX;
/** Largest upload taken; a bigger body is refused (413) before it is read further. */
export const EMAIL_IMAGE_MAX_INPUT_BYTES = 10 * 1024 * 1024;
/**
 * Largest decoded image taken (width × height × frames): a small PNG or GIF can declare a huge
 * canvas (a decompression bomb), so the header's dimensions are checked before any pixel is
 * decoded. 50 megapixels is above any camera photo an email needs.
 */
export const EMAIL_IMAGE_MAX_INPUT_PIXELS = 50_000_000;
/** JPEG quality with mozjpeg: visually clean for photos at about a tenth of a camera's bytes. */
export const EMAIL_JPEG_QUALITY = 80;

/** What the first bytes say a file is. Only the content decides, never the name or the declared type. */
export type SniffedType = "jpeg" | "png" | "gif" | "webp" | "avif" | "tiff" | "svg" | "heic" | "bmp" | "pdf" | "unknown";

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) => signature.every((byte, index) => bytes[offset + index] === byte);
const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));

export function sniffImageType(bytes: Uint8Array): SniffedType {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a") return "gif";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return "webp";
  if (ascii(bytes, 4, 8) === "ftyp") {
    const brand = ascii(bytes, 8, 12);
    if (brand === "avif" || brand === "avis") return "avif";
    if (/^(heic|heix|hevc|hevx|mif1|msf1)$/.test(brand)) return "heic";
  }
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return "tiff";
  if (ascii(bytes, 0, 2) === "BM") return "bmp";
  if (ascii(bytes, 0, 5) === "%PDF-") return "pdf";
  // Text that opens like XML or an <svg> element, past a BOM, whitespace and comments.
  const head = new TextDecoder("utf-8", { fatal: false }).decode(bytes.subarray(0, 1024)).replace(/^\uFEFF/, "").trimStart();
  if (/^<(\?xml|svg|!doctype svg|!--)/i.test(head) && /<svg[\s>]/i.test(head)) return "svg";
  return "unknown";
}

/** The types taken: each is decoded and re-encoded as JPEG, PNG or GIF, which every email client shows. */
export const ACCEPTED_IMAGE_TYPES = ["jpeg", "png", "gif", "webp", "avif", "tiff"] as const;
export type AcceptedImageType = (typeof ACCEPTED_IMAGE_TYPES)[number];

export const isAcceptedImageType = (type: SniffedType): type is AcceptedImageType => (ACCEPTED_IMAGE_TYPES as readonly string[]).includes(type);

/**
 * Why a file is refused, in words for the person who uploaded it; null when it is taken.
 * SVG is refused rather than converted: an SVG can carry scripts and external references (so it
 * is never served from our origin), and Gmail and Outlook do not display it in a message at all,
 * so a rasterised copy would be the only thing that works anyway — better made by whoever has
 * the original at the size they want.
 */
export function imageTypeRefusal(type: SniffedType): string | null {
  if (isAcceptedImageType(type)) return null;
  switch (type) {
    case "svg":
      return "SVG images are not accepted: they can carry scripts, and Gmail and Outlook do not show them in email. Export it as PNG.";
    case "heic":
      return "HEIC photos are not accepted: email clients cannot show them. Export it as JPEG.";
    case "pdf":
      return "PDF files are not images: export the page as PNG or JPEG.";
    case "bmp":
      return "BMP images are not accepted: save it as PNG or JPEG.";
    default:
      return "The file is not an image: upload a JPEG, PNG, GIF or WebP.";
  }
}

/** At most EMAIL_IMAGE_MAX_WIDTH_PX wide, never enlarged. */
export function targetWidth(width: number): number {
  return Math.min(width, EMAIL_IMAGE_MAX_WIDTH_PX);
}

/** The height that keeps the aspect ratio at `width` (at least one pixel). */
export function scaledHeight(size: { width: number; height: number }, width: number): number {
  return Math.max(1, Math.round((size.height * width) / size.width));
}

/** An EXIF orientation of 5–8 turns the image a quarter: its shown width is its stored height. */
export function orientedSize(size: { width: number; height: number; orientation?: number }): { width: number; height: number } {
  return (size.orientation ?? 1) >= 5 ? { width: size.height, height: size.width } : { width: size.width, height: size.height };
}

export type EmailImageFormat = "jpeg" | "png" | "gif";

export const EMAIL_IMAGE_CONTENT_TYPES: Record<EmailImageFormat, string> = { jpeg: "image/jpeg", png: "image/png", gif: "image/gif" };
const EXTENSIONS: Record<EmailImageFormat, string> = { jpeg: "jpg", png: "png", gif: "gif" };

/**
 * What an image is stored as. Animation survives only as GIF (the one animated format every
 * client plays; Outlook shows the first frame). Transparency needs PNG (JPEG has no alpha).
 * Everything else is JPEG: photos are most of what is dropped, and a JPEG is a fraction of a PNG.
 */
export function outputFormat(image: { animated: boolean; transparent: boolean }): EmailImageFormat {
  if (image.animated) return "gif";
  return image.transparent ? "png" : "jpeg";
}

/** The content type of an accepted input, for the record of what was uploaded. */
export function inputContentType(type: AcceptedImageType): string {
  return `image/${type}`;
}

/** The width an <img> is shown at in the column: the image itself is up to twice that for sharpness. */
export function displayWidth(pixelWidth: number): number {
  return Math.min(pixelWidth, EMAIL_COLUMN_WIDTH_PX);
}

/**
 * The last segment of the public URL: the uploaded name as a readable slug with the stored
 * format's extension (`Hero Banner.PNG` stored as JPEG → `hero-banner.jpg`). Mail clients show it
 * when an image is saved; it carries no authority (the asset's id does).
 */
export function assetUrlName(fileName: string, format: EmailImageFormat): string {
  const base = fileName.replace(/\.[a-z0-9]{1,5}$/i, "");
  const slug = base
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return `${slug || "image"}.${EXTENSIONS[format]}`;
}

/** The stored format of a content type written by EMAIL_IMAGE_CONTENT_TYPES. */
export function formatOfContentType(contentType: string): EmailImageFormat {
  const found = (Object.entries(EMAIL_IMAGE_CONTENT_TYPES) as [EmailImageFormat, string][]).find(([, type]) => type === contentType);
  return found?.[0] ?? "jpeg";
}
