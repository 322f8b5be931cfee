import type { oas31 } from "zod-openapi";

/**
 * The OpenAPI document turned into what the /docs page shows: endpoints grouped by resource,
 * each field with a readable type. Reads only the document, so the page cannot say anything
 * the API does not do.
 */

type Schema = oas31.SchemaObject | oas31.ReferenceObject;

export type ReferenceField = { name: string; type: string; required: boolean; description?: string; location?: string };
export type ReferenceResponse = { status: string; description: string; type?: string };
export type ReferenceOperation = {
  id: string;
  method: string;
  path: string;
  summary: string;
  description?: string;
  parameters: ReferenceField[];
  body?: { contentType: string; fields: ReferenceField[] };
  responses: ReferenceResponse[];
  public: boolean;
};
export type ReferenceSection = { tag: string; operations: ReferenceOperation[] };

const METHODS = ["get", "post", "patch", "put", "delete"] as const;
const isRef = (schema: Schema): schema is oas31.ReferenceObject => "$ref" in schema;
export const componentName = (ref: string) => ref.slice(ref.lastIndexOf("/") + 1);

function resolve(schema: Schema, document: oas31.OpenAPIObject): oas31.SchemaObject {
  return isRef(schema) ? (document.components?.schemas?.[componentName(schema.$ref)] as oas31.SchemaObject) : schema;
}

function range(min: number | undefined, max: number | undefined, unit: string): string | null {
  if (min === undefined && max === undefined) return null;
  if (min !== undefined && max !== undefined) return `${min}–${max}${unit}`;
  return min !== undefined ? `≥ ${min}${unit}` : `≤ ${max}${unit}`;
}

function constraints(schema: oas31.SchemaObject): string[] {
  const notes = [
    range(schema.minLength, schema.maxLength, " chars"),
    range(schema.minimum, schema.maximum, ""),
    range(schema.minItems, schema.maxItems, " items"),
    schema.default !== undefined && JSON.stringify(schema.default) !== "{}" ? `default ${JSON.stringify(schema.default)}` : null,
  ];
  return notes.filter((note): note is string => note !== null);
}

/** `string (uuid)`, `"email" | "sms"`, `array of Contact`, `{listId} | {segmentId}`, `string or null`. */
export function schemaType(schema: Schema, document: oas31.OpenAPIObject): string {
  if (isRef(schema)) return componentName(schema.$ref);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    const types = variants.map((variant) => schemaType(variant, document));
    const nonNull = types.filter((type) => type !== "null");
    return nonNull.length < types.length ? `${nonNull.join(" | ")} or null` : types.join(" | ");
  }
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.not && Object.keys(schema.not).length === 0) return "not allowed";
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((type) => type !== "null").map((type) => schemaType({ ...schema, type }, document));
    return schema.type.includes("null") ? `${types.join(" | ")} or null` : types.join(" | ");
  }
  switch (schema.type) {
    case "string":
      if (schema.contentMediaType) return "file";
      return schema.format ? `string (${schema.format})` : "string";
    case "array":
      return schema.items ? `array of ${schemaType(schema.items, document)}` : "array";
    case "object":
      if (schema.properties) return `{${Object.keys(schema.properties).join(", ")}}`;
      if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
        return `object of ${schemaType(schema.additionalProperties, document)}`;
      }
      return "object";
    case undefined:
      return "any JSON";
    default:
      return schema.type;
  }
}

/** An object's fields, nested objects as `parent.child`; each with its type, constraints and description. */
export function schemaFields(schema: Schema, document: oas31.OpenAPIObject, prefix = ""): ReferenceField[] {
  const object = resolve(schema, document);
  if (!object?.properties) return [];
  return Object.entries(object.properties).flatMap(([key, property]) => {
    const resolved = resolve(property, document);
    const name = `${prefix}${key}`;
    const notes = isRef(property) ? [] : constraints(resolved);
    const field: ReferenceField = {
      name,
      type: [schemaType(property, document), ...notes].join(", "),
      required: object.required?.includes(key) ?? false,
      ...(resolved.description ? { description: resolved.description } : {}),
    };
    const nested = !isRef(property) && resolved.type === "object" && resolved.properties ? schemaFields(resolved, document, `${name}.`) : [];
    return [field, ...nested];
  });
}

/** A page of a list reads as `page of Contact`; anything else as its type. */
function responseType(schema: Schema, document: oas31.OpenAPIObject): string {
  const resolved = resolve(schema, document);
  const items = resolved.properties?.data;
  if (resolved.properties?.nextCursor && items && !isRef(items) && items.type === "array" && items.items) return `page of ${schemaType(items.items, document)}`;
  return schemaType(schema, document);
}

function operationOf(path: string, method: string, operation: oas31.OperationObject, document: oas31.OpenAPIObject): ReferenceOperation {
  const base = document.servers?.[0]?.url ?? "";
  const parameters = (operation.parameters ?? []).map((parameter) => {
    const p = parameter as oas31.ParameterObject;
    const schema = p.schema ? resolve(p.schema, document) : undefined;
    return {
      name: p.name,
      location: p.in,
      type: schema ? [schemaType(p.schema!, document), ...constraints(schema)].join(", ") : "string",
      required: p.required ?? false,
      ...((p.description ?? schema?.description) ? { description: p.description ?? schema?.description } : {}),
    };
  });
  const [contentType, media] = Object.entries((operation.requestBody as oas31.RequestBodyObject | undefined)?.content ?? {})[0] ?? [];
  const responses = Object.entries(operation.responses ?? {}).map(([status, value]) => {
    const response = value as oas31.ResponseObject;
    const [type, content] = Object.entries(response.content ?? {})[0] ?? [];
    const shown = content?.schema ? responseType(content.schema, document) : undefined;
    return { status, description: response.description, ...(shown && shown !== "Error" ? { type: type === "application/json" ? shown : type } : {}) };
  });
  return {
    id: operation.operationId ?? `${method} ${path}`,
    method: method.toUpperCase(),
    path: `${base}${path}`,
    summary: operation.summary ?? "",
    ...(operation.description ? { description: operation.description } : {}),
    parameters,
    ...(contentType && media?.schema ? { body: { contentType, fields: schemaFields(media.schema, document) } } : {}),
    responses,
    public: Array.isArray(operation.security) && operation.security.length === 0,
  };
}

/** Every operation, grouped by its tag in the document's tag order. */
export function apiReference(document: oas31.OpenAPIObject): ReferenceSection[] {
  const sections = new Map<string, ReferenceOperation[]>((document.tags ?? []).map((tag) => [tag.name, []]));
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = (item as Record<string, oas31.OperationObject | undefined>)[method];
      if (!operation) continue;
      const tag = operation.tags?.[0] ?? "Other";
      if (!sections.has(tag)) sections.set(tag, []);
      sections.get(tag)!.push(operationOf(path, method, operation, document));
    }
  }
  return [...sections].filter(([, operations]) => operations.length > 0).map(([tag, operations]) => ({ tag, operations }));
}

/** The named schemas (Contact, Campaign, Error, …) with their fields, for the types operations refer to. */
export function apiObjects(document: oas31.OpenAPIObject): { name: string; description?: string; fields: ReferenceField[]; type: string }[] {
  return Object.entries(document.components?.schemas ?? {}).map(([name, schema]) => {
    const resolved = schema as oas31.SchemaObject;
    return { name, ...(resolved.description ? { description: resolved.description } : {}), fields: schemaFields(resolved, document), type: schemaType(resolved, document) };
  });
}

/** The anchor of a section or object on the page. */
export const anchor = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
