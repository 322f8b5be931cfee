import type { NextResponse } from "next/server";
import { apiError, type ApiErrorBody } from "@/lib/api/responses";
import { IMAGE_REFUSAL_STATUS, type ImageRefusedError } from "./image-refused-error";

const CODES = { unsupported: "unsupported_media_type", "too-large": "file_too_large", "too-many-pixels": "image_too_large", unreadable: "invalid_request" } as const;

/** A refused image as the API answers it: the status of its kind, the reason under `file`. */
export function imageRefusalResponse(error: ImageRefusedError): NextResponse<ApiErrorBody> {
  return apiError(IMAGE_REFUSAL_STATUS[error.kind], CODES[error.kind], error.message, { file: [error.message] });
}
