import type { NextResponse } from "next/server";
import type { z } from "zod";
import { type Db, getDatabase } from "@/db";
import { ConfigError } from "@/core/config/env";
import { type ApiPrincipal, authenticate, WorkspaceErasureRequested } from "./authenticate";
import { formatBytes } from "@/core/text/format-bytes";
import { readBodyText } from "./read-body";
import { logInternalError } from "@/lib/errors/public-error-message";
import { logger } from "@/lib/observability/logger";
import { isStorageOutage } from "@/lib/storage/storage-error";
import { fieldIssueMessage } from "./field-issue-message";
import { apiError, validationError } from "./responses";

export type ApiContext<P> = { db: Db; principal: ApiPrincipal; params: P; request: Request };

/**
 * Wraps an authenticated /api/v1 route handler: resolves the API key (401 otherwise), answers
 * 503 naming what is missing when a channel the request needs is not configured (a ConfigError
 * names variables, never their values), 503 storage_unavailable when file storage is down or
 * refuses our credentials (the store's own error goes to the log only), and turns unexpected
 * errors into a 500 without leaking internals: the body carries an error id, the log the detail
 * under the same id.
 */
export function apiRoute<P = Record<string, never>>(
  handler: (context: ApiContext<P>) => Promise<Response | NextResponse>,
): (request: Request, context: { params: Promise<P> }) => Promise<Response> {
  return async (request, context) => {
    try {
      const { db } = await getDatabase();
      const principal = await authenticate(db, request);
      if (!principal) return apiError(401, "unauthorized", "A valid API key is required: Authorization: Bearer <key>");
      if (principal instanceof WorkspaceErasureRequested) return apiError(401, "workspace_erasure_requested", principal.message);
      return await handler({ db, principal, params: await context.params, request });
    } catch (error) {
      if (error instanceof ConfigError) return apiError(503, "not_configured", error.message);
      if (isStorageOutage(error)) {
        logger.error({ err: error, kind: error.kind, method: request.method, path: new URL(request.url).pathname }, "api: file storage failed");
        return apiError(503, "storage_unavailable", "File storage is unavailable, so no file was stored; retry later");
      }
      const errorId = logInternalError(error, { where: "api", method: request.method, path: new URL(request.url).pathname });
      return apiError(500, "internal_error", `Internal error (id ${errorId}): something went wrong on our side`);
    }
  };
}

/** 413 for a body over the cap, naming the cap. */
export const payloadTooLarge = (limitBytes: number, what = "Request bodies") =>
  apiError(413, "payload_too_large", `${what} are limited to ${formatBytes(limitBytes)}`);

/**
 * Parses a JSON body against a zod schema; returns the data or a ready response: 413 past the
 * body cap (read no further than the cap), 400 for malformed JSON or invalid fields.
 */
export async function readJson<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<{ ok: true; data: z.infer<S> } | { ok: false; response: Response }> {
  const text = await readBodyText(request);
  if (!text.ok) return { ok: false, response: payloadTooLarge(text.limitBytes) };
  let body: unknown;
  try {
    body = JSON.parse(text.text);
  } catch {
    return { ok: false, response: apiError(400, "invalid_json", "The request body is not valid JSON") };
  }
  return parseRequest(schema, body);
}

/** Parses query parameters against a zod schema. */
export function readQuery<S extends z.ZodType>(
  request: Request,
  schema: S,
): { ok: true; data: z.infer<S> } | { ok: false; response: Response } {
  return parseRequest(schema, Object.fromEntries(new URL(request.url).searchParams));
}

/** Checks input against a request schema: the data, or a 400 naming each field and what it must be. */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown): { ok: true; data: z.infer<S> } | { ok: false; response: Response } {
  const parsed = schema.safeParse(input, { error: fieldIssueMessage });
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, response: validationError(parsed.error) };
}
