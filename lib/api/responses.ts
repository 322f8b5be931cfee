import { NextResponse } from "next/server";
import { z } from "zod";

/** One error shape for the whole API: `{ error: { code, message, fields? } }`, as the OpenAPI document shows it. */
export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "A stable code: invalid_request, invalid_json, unauthorized, not_found, conflict, payload_too_large, …", example: "invalid_request" }),
      message: z.string().meta({ description: "What went wrong, in words", example: "The request has invalid fields" }),
      fields: z
        .record(z.string(), z.array(z.string()))
        .optional()
        .meta({
          description: "Field errors keyed by dotted path (`audience.listId`, `contactIds.3`; `(body)` for the body itself): what each field must be",
          example: { "audience.listId": ["must be a list id"], extra: ["is not a known field"] },
        }),
    }),
  })
  .meta({ id: "Error", description: "The body of every 4xx and 5xx answer" });

export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

export function apiError(status: number, code: string, message: string, fields?: Record<string, string[]>): NextResponse<ApiErrorBody> {
  return NextResponse.json({ error: { code, message, ...(fields ? { fields } : {}) } }, { status });
}

export const notFound = (what = "Resource") => apiError(404, "not_found", `${what} not found`);

/**
 * Field errors keyed by dotted path (`audience.listId`, `contactIds.3`; "(body)" for the body
 * itself). An unknown key is filed under its own name, not under the object that holds it, so
 * every 400 names the field the caller has to change.
 */
export function validationError(error: z.ZodError): NextResponse<ApiErrorBody> {
  const fields: Record<string, string[]> = {};
  const add = (path: readonly PropertyKey[], message: string) => (fields[path.map(String).join(".") || "(body)"] ??= []).push(message);
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") for (const key of issue.keys) add([...issue.path, key], issue.message);
    else add(issue.path, issue.message);
  }
  return apiError(400, "invalid_request", "The request has invalid fields", fields);
}
