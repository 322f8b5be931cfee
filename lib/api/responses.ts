import { NextResponse } from "next/server";
import type { z } from "zod";

/** One error shape for the whole API: `{ error: { code, message, fields? } }`. */
export type ApiErrorBody = { error: { code: string; message: string; fields?: Record<string, string[]> } };

export function apiError(status: number, code: string, message: string, fields?: Record<string, string[]>): NextResponse<ApiErrorBody> {
  return NextResponse.json({ error: { code, message, ...(fields ? { fields } : {}) } }, { status });
}

export const notFound = (what = "Resource") => apiError(404, "not_found", `${what} not found`);

/** Field errors keyed by dotted path ("" for the body itself), as zod reports them. */
export function validationError(error: z.ZodError): NextResponse<ApiErrorBody> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "(body)";
    (fields[key] ??= []).push(issue.message);
  }
  return apiError(400, "invalid_request", "The request has invalid fields", fields);
}
