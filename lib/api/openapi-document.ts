import { createDocument, type oas31, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponseObject, type ZodOpenApiResponsesObject } from "zod-openapi";
import { type ApiOperation, API_BASE_PATH } from "./api-operation";
import { API_OPERATIONS } from "./api-operations";
import { apiErrorSchema } from "./responses";

export const API_KEY_SCHEME = "apiKey";

const error = (description: string) => ({ description, content: { "application/json": { schema: apiErrorSchema } } });

/** The success responses, then every error the operation can answer, most common first. */
function responses(operation: ApiOperation): ZodOpenApiResponsesObject {
  const result: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, spec] of Object.entries(operation.responses)) {
    result[status] = spec.schema
      ? { description: spec.description, content: { [spec.contentType ?? "application/json"]: { schema: spec.schema } } }
      : spec.contentType
        ? { description: spec.description, content: { [spec.contentType]: { schema: { type: "string" } } } }
        : { description: spec.description };
  }
  if (operation.body || operation.query) {
    const json = operation.body && operation.bodyType !== "multipart" ? "; `invalid_json` when the body is not JSON" : "";
    result["400"] = error(`\`invalid_request\`: \`fields\` names each invalid field (unknown ones included) and what it must be${json}`);
  }
  if (!operation.public) result["401"] = error("`unauthorized`: no valid API key (`Authorization: Bearer <key>`)");
  for (const [status, description] of Object.entries(operation.errors ?? {})) result[status] = error(description);
  if (operation.body && operation.bodyType !== "multipart") {
    result["413"] = error("`payload_too_large`: the body is over the size cap (`API_MAX_BODY_BYTES`); the message says the cap");
  }
  if (!operation.public) result["500"] = error("`internal_error`: the message carries an error id; the details are in the server log under it");
  return result as ZodOpenApiResponsesObject;
}

function operationObject(operation: ApiOperation & { id: string }): ZodOpenApiOperationObject {
  const body = operation.body && {
    // An optional body (a dry run of the stored policy takes none) is documented as such.
    required: !operation.body.safeParse(undefined).success,
    content: { [operation.bodyType === "multipart" ? "multipart/form-data" : "application/json"]: { schema: operation.body } },
  };
  return {
    operationId: operation.id,
    tags: [operation.tag],
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    ...(operation.params || operation.query ? { requestParams: { ...(operation.params ? { path: operation.params } : {}), ...(operation.query ? { query: operation.query } : {}) } } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: responses(operation),
    ...(operation.public ? { security: [] } : {}),
  };
}

// Formats say it; zod's long patterns for them only clutter the reference.
const PATTERNED_FORMATS = new Set(["uuid", "date-time", "email"]);

function buildDocument(): oas31.OpenAPIObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const operation of API_OPERATIONS) (paths[operation.path] ??= {})[operation.method] = operationObject(operation);
  return createDocument(
    {
      openapi: "3.1.0",
      info: {
        title: "Sendline API",
        version: "1",
        description:
          "Notifications, contacts, lists, segments, imports and campaigns. Every route but this document takes `Authorization: Bearer <api key>`. Errors are `{\"error\": {\"code\", \"message\", \"fields\"?}}`; lists are pages, newest first: pass `nextCursor` back as `cursor`.",
      },
      servers: [{ url: API_BASE_PATH }],
      security: [{ [API_KEY_SCHEME]: [] }],
      tags: [...new Set(API_OPERATIONS.map((operation) => operation.tag))].map((name) => ({ name })),
      components: {
        securitySchemes: {
          [API_KEY_SCHEME]: { type: "http", scheme: "bearer", description: "A workspace API key (`npm run workspace:create` prints one)" },
        },
      },
      paths,
    },
    {
      override: ({ jsonSchema }) => {
        if (typeof jsonSchema.format === "string" && PATTERNED_FORMATS.has(jsonSchema.format)) delete jsonSchema.pattern;
      },
    },
  );
}

let document: oas31.OpenAPIObject | undefined;

/** The OpenAPI 3.1 document of /api/v1, built once from the operations' zod schemas. */
export function openApiDocument(): oas31.OpenAPIObject {
  return (document ??= buildDocument());
}
