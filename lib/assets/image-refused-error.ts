/**
 * Why an upload is not stored, each kind with the answer an API gives it:
 * - `unsupported` (415): not an image, or a format email clients cannot show (SVG, HEIC, …);
 * - `too-large` (413): more bytes than EMAIL_IMAGE_MAX_INPUT_BYTES;
 * - `too-many-pixels` (413): a header declaring more than EMAIL_IMAGE_MAX_INPUT_PIXELS (a
 *   decompression bomb is refused from its header, never decoded);
 * - `unreadable` (400): the right kind of file, but damaged or cut short.
 */
export type ImageRefusalKind = "unsupported" | "too-large" | "too-many-pixels" | "unreadable";

export const IMAGE_REFUSAL_STATUS: Record<ImageRefusalKind, 400 | 413 | 415> = { unsupported: 415, "too-large": 413, "too-many-pixels": 413, unreadable: 400 };

/** The message is fit to show as the `file` field's error. */
export class ImageRefusedError extends Error {
  override readonly name = "ImageRefusedError";
  constructor(
    readonly kind: ImageRefusalKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
