import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/api/openapi-document";

/**
 * The API as OpenAPI 3.1, built from the zod schemas the routes validate with. Public: it holds
 * no workspace data, and a client generator or a reader needs it before it has a key.
 */
export function GET(): Response {
  return NextResponse.json(openApiDocument());
}
