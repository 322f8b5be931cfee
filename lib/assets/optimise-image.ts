import sharp, { type Metadata } from "sharp";
import {
  EMAIL_IMAGE_CONTENT_TYPES,
  EMAIL_IMAGE_MAX_INPUT_BYTES,
  EMAIL_IMAGE_MAX_INPUT_PIXELS,
  EMAIL_IMAGE_MAX_WIDTH_PX,
  EMAIL_JPEG_QUALITY,
  type EmailImageFormat,
  imageTypeRefusal,
  inputContentType,
  isAcceptedImageType,
  orientedSize,
  outputFormat,
  sniffImageType,
} from "@/core/assets/email-image-rules";
import { ImageRefusedError } from "./image-refused-error";

export type OptimisedImage = {
  bytes: Buffer;
  format: EmailImageFormat;
  contentType: string;
  width: number;
  height: number;
  original: { contentType: string; width: number; height: number; bytes: number };
};

const MEGAPIXEL = 1_000_000;

/**
 * Every decode is capped twice: the header check below answers with a clear message, and
 * sharp's own limitInputPixels stops any decoder that would go past it anyway. failOn "warning"
 * (sharp's default, stated because it matters) refuses truncated and corrupt data rather than
 * encoding half an image.
 */
const decodeOptions = { limitInputPixels: EMAIL_IMAGE_MAX_INPUT_PIXELS, failOn: "warning" } as const;

/** The header only: no pixel is decoded, so the pixel cap is checked here on the declared size. */
async function readHeader(input: Buffer): Promise<Metadata> {
  try {
    return await sharp(input, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new ImageRefusedError("unreadable", "The image could not be read: the file is damaged or incomplete.", { cause: error });
  }
}

/**
 * An uploaded image made fit for email (issue 17): turned upright by its EXIF orientation,
 * stripped of metadata (sharp writes none unless asked: no camera serial numbers or GPS
 * positions go out to every recipient), at most EMAIL_IMAGE_MAX_WIDTH_PX wide and never
 * enlarged, then encoded by the rule in core/assets (PNG with its transparency, animated GIF
 * as GIF, everything else mozjpeg JPEG). Throws ImageRefusedError for what cannot be taken.
 */
export async function optimiseImage(input: Buffer): Promise<OptimisedImage> {
  if (input.length > EMAIL_IMAGE_MAX_INPUT_BYTES) throw new ImageRefusedError("too-large", `The image is larger than ${EMAIL_IMAGE_MAX_INPUT_BYTES / (1024 * 1024)} MB.`);
  // The content decides, before any decoder sees it: an SVG (or anything else) never reaches librsvg.
  const type = sniffImageType(input);
  const refusal = imageTypeRefusal(type);
  if (refusal || !isAcceptedImageType(type)) throw new ImageRefusedError("unsupported", refusal ?? "The file is not an image.");

  const header = await readHeader(input);
  const pages = header.pages ?? 1;
  const animated = pages > 1 && (type === "gif" || type === "webp");
  const pixels = header.width * (header.pageHeight ?? header.height) * (animated ? pages : 1);
  if (pixels > EMAIL_IMAGE_MAX_INPUT_PIXELS) {
    throw new ImageRefusedError("too-many-pixels", `The image has ${Math.round(pixels / MEGAPIXEL)} megapixels; at most ${EMAIL_IMAGE_MAX_INPUT_PIXELS / MEGAPIXEL} are accepted.`);
  }
  const shown = orientedSize({ width: header.width, height: header.pageHeight ?? header.height, orientation: header.orientation });
  const original = { contentType: inputContentType(type), width: shown.width, height: shown.height, bytes: input.length };

  try {
    // An alpha channel that is opaque everywhere (common in exported screenshots) is not transparency.
    const transparent = !animated && !!header.hasAlpha && !(await sharp(input, decodeOptions).stats()).isOpaque;
    const format = outputFormat({ animated, transparent });
    const pipeline = sharp(input, { ...decodeOptions, autoOrient: true, animated }).resize({ width: EMAIL_IMAGE_MAX_WIDTH_PX, withoutEnlargement: true });
    if (format === "jpeg") pipeline.flatten({ background: "#ffffff" }).jpeg({ quality: EMAIL_JPEG_QUALITY, mozjpeg: true, progressive: true });
    else if (format === "png") pipeline.png({ palette: true, compressionLevel: 9, effort: 10 });
    else pipeline.gif({ effort: 10 });
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    const height = info.pageHeight ?? info.height;
    // A GIF encoder rebuilds the frames' palettes and can come out larger than a GIF that was
    // already tuned; when nothing needed resizing, the original animation is the better one.
    if (format === "gif" && type === "gif" && data.length >= input.length && shown.width <= EMAIL_IMAGE_MAX_WIDTH_PX) {
      return { bytes: input, format, contentType: EMAIL_IMAGE_CONTENT_TYPES.gif, width: shown.width, height: shown.height, original };
    }
    return { bytes: data, format, contentType: EMAIL_IMAGE_CONTENT_TYPES[format], width: info.width, height, original };
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) {
      throw new ImageRefusedError("too-many-pixels", `The image has more than ${EMAIL_IMAGE_MAX_INPUT_PIXELS / MEGAPIXEL} megapixels.`, { cause: error });
    }
    throw new ImageRefusedError("unreadable", "The image could not be read: the file is damaged or incomplete.", { cause: error });
  }
}
