import { z } from "zod";
import { EMAIL_IMAGE_MAX_INPUT_BYTES, EMAIL_IMAGE_MAX_INPUT_PIXELS, EMAIL_IMAGE_MAX_WIDTH_PX } from "@/core/assets/email-image-rules";
import { apiOperation } from "@/lib/api/api-operation";
import { pageParams } from "@/lib/api/pagination";
import { idParams, paged, timestamp } from "./common";

const tag = "Assets";
const pixels = z.number().int();

export const assetSchema = z
  .object({
    id: z.uuid(),
    url: z.string().meta({ description: "The public address of the stored image (below `PUBLIC_URL`), for `<img src>`: no credentials needed, cached for a year" }),
    fileName: z.string().meta({ description: "The uploaded file's name" }),
    contentType: z.enum(["image/jpeg", "image/png", "image/gif"]).meta({ description: "What it is stored as: PNG when it has transparency, GIF when animated, JPEG otherwise" }),
    width: pixels,
    height: pixels,
    bytes: z.number().int().meta({ description: "Stored size" }),
    sha256: z.string().meta({ description: "SHA-256 of the stored bytes (hex); the same image uploaded again answers this asset" }),
    original: z.object({ contentType: z.string(), width: pixels, height: pixels, bytes: z.number().int() }).meta({ description: "The upload as it came (width and height upright)" }),
    createdAt: timestamp,
  })
  .meta({ id: "Asset" });

const uploadForm = z.object({
  file: z.string().meta({
    contentMediaType: "application/octet-stream",
    description: `A JPEG, PNG, GIF, WebP, AVIF or TIFF image, at most ${EMAIL_IMAGE_MAX_INPUT_BYTES / (1024 * 1024)} MB and ${EMAIL_IMAGE_MAX_INPUT_PIXELS / 1_000_000} megapixels; the type is read from the content. SVG is refused (scripts; Gmail does not show it)`,
  }),
});

export const assetsApi = {
  create: apiOperation({
    method: "post",
    path: "/assets",
    tag,
    summary: "Upload an image for email templates",
    description: `The image is turned upright by its EXIF orientation, stripped of metadata, resized to at most ${EMAIL_IMAGE_MAX_WIDTH_PX} px wide (never enlarged) and compressed (mozjpeg JPEG; PNG kept for transparency, GIF for animation), then stored once per workspace: the same image again answers 200 with the existing asset.`,
    body: uploadForm,
    bodyType: "multipart",
    responses: {
      201: { description: "Optimised and stored", schema: assetSchema },
      200: { description: "The workspace already has this image: the existing asset", schema: assetSchema },
    },
    errors: {
      413: "`file_too_large`: over the size limit, or `image_too_large`: more pixels than the limit (a decompression bomb is refused from its header)",
      415: "`unsupported_media_type`: not an image, or a format email clients cannot show (SVG, HEIC, PDF, …)",
      503: "File storage is unavailable (`storage_unavailable`): nothing was stored",
    },
  }),
  list: apiOperation({
    method: "get",
    path: "/assets",
    tag,
    summary: "List images, newest first",
    query: z.strictObject({ ...pageParams }),
    responses: { 200: { description: "A page of images", schema: paged(assetSchema) } },
  }),
  delete: apiOperation({
    method: "delete",
    path: "/assets/{id}",
    tag,
    summary: "Delete an image (emails already sent that show it lose it)",
    params: idParams("asset"),
    responses: { 204: { description: "Deleted, with its stored file" } },
    errors: { 404: "No such asset in this workspace", 503: "File storage is unavailable: nothing was deleted" },
  }),
};
