import type { z } from "zod";

/** Where the REST API lives; operation paths are below it. */
export const API_BASE_PATH = "/api/v1";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";
export type SuccessStatus = 200 | 201 | 202 | 204;
/** 400 (invalid fields), 401 (no key) and 413 (body too large) are added from the operation's shape. */
export type ErrorStatus = 400 | 404 | 409 | 413 | 415 | 422 | 429 | 502 | 503;

export type ApiResponseSpec = {
  description: string;
  /** The JSON body; absent for 204 and for non-JSON bodies. */
  schema?: z.ZodType;
  /** Another media type than JSON (the import error report is CSV). */
  contentType?: string;
};

/**
 * One REST operation as a route serves it: its path, what it reads and what it answers. The
 * route validates with these very schemas (readJson/readQuery), and the OpenAPI document is
 * built from them (openapi-document.ts), so the two cannot describe different APIs.
 */
export type ApiOperation = {
  method: HttpMethod;
  /** Below API_BASE_PATH, with OpenAPI path parameters: `/contacts/{id}`. */
  path: string;
  /** The resource, as the reference groups operations. */
  tag: string;
  summary: string;
  description?: string;
  /** Path parameters. Each is a UUID; a malformed one answers 404 like an unknown one. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** `multipart` for file uploads; JSON otherwise. */
  bodyType?: "json" | "multipart";
  responses: Partial<Record<SuccessStatus, ApiResponseSpec>>;
  /** The error statuses this operation can answer beyond 400/401/413, with when. */
  errors?: Partial<Record<ErrorStatus, string>>;
  /** Served without an API key. */
  public?: boolean;
};

/** Declares an operation, keeping its literal types (so a route reads `.body` with its real type). */
export function apiOperation<const O extends ApiOperation>(operation: O): O {
  return operation;
}
