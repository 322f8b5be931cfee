import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { oas31 } from "zod-openapi";
import { apiReference, schemaFields, schemaType } from "@/app/(dashboard)/_lib/api-reference";
import DocsPage from "@/app/(dashboard)/docs/page";
import { API_OPERATIONS } from "@/lib/api/api-operations";
import { openApiDocument } from "@/lib/api/openapi-document";
import { CONTACT_FIELD_SYNONYMS, CONTACT_FIELDS } from "@/core/imports/contact-fields";
import { CONTACT_VARIABLE } from "@/lib/templates/template-variables";

const document = openApiDocument();
const html = renderToStaticMarkup(DocsPage());
/** The page's text, tags and entities aside, so assertions read like what a reader sees. */
const text = html
  .replace(/<\/?(code|strong|span)[^>]*>/g, "")
  .replace(/<[^>]+>/g, " ")
  .replace(/&quot;/g, '"')
  .replace(/&lt;/g, "<")
  .replace(/&gt;/g, ">")
  .replace(/&#x27;/g, "'")
  .replace(/&amp;/g, "&")
  .replace(/\s+/g, " ");

describe("the /docs page", () => {
  it("shows every operation of the document, by method and full path, with its summary", () => {
    for (const operation of API_OPERATIONS) {
      expect(text).toContain(`${operation.method.toUpperCase()} /api/v1${operation.path}`);
      expect(text).toContain(operation.summary.replaceAll("`", ""));
    }
  });

  it("groups operations by resource, in the document's order", () => {
    const tags = apiReference(document).map((section) => section.tag);
    expect(tags.slice(0, 7)).toEqual(["Notifications", "Channel plans", "Digests", "Delivery settings", "Messages", "Dead letters", "Templates"]);
    const headings = [...html.matchAll(/<h2>([^<]+)<\/h2>/g)].map((match) => match[1]);
    expect(headings).toEqual([...tags, "Objects", "Template variables", "Import columns"]);
  });

  it("lists a body's fields with their types, whether required, and their descriptions", () => {
    const campaign = apiReference(document).flatMap((section) => section.operations).find((operation) => operation.id === "campaigns.create")!;
    expect(campaign.body?.contentType).toBe("application/json");
    expect(campaign.body?.fields).toEqual(
      expect.arrayContaining([
        { name: "name", type: "string, 1–200 chars", required: true },
        { name: "channel", type: '"email" | "sms"', required: true },
        { name: "audience", type: "{listId} | {segmentId}", required: true, description: "A list or a segment of the workspace" },
        expect.objectContaining({ name: "sendAt", type: "string (date-time)", required: false }),
      ]),
    );
    const upsert = apiReference(document).flatMap((section) => section.operations).find((operation) => operation.id === "contacts.upsert")!;
    expect(upsert.body?.fields.find((field) => field.name === "status")).toMatchObject({ type: "not allowed", description: "Managed by Sendline: refused by name" });
    expect(upsert.responses.map((response) => response.status)).toEqual(["200", "201", "400", "401", "409", "413", "500"]);
    expect(text).toContain("firstName");
  });

  it("describes the objects operations refer to", () => {
    for (const name of ["Contact", "Campaign", "Error"]) expect(html).toContain(`id="object-${name.toLowerCase()}"`);
  });

  it("lists every template variable and every import column with its header synonyms", () => {
    for (const name of Object.keys(CONTACT_VARIABLE.properties!)) expect(text).toContain(name === "attributes" ? "{{ contact.attributes.<key> }}" : `{{ contact.${name} }}`);
    expect(text).toContain("{{ unsubscribe_url }}");
    for (const field of CONTACT_FIELDS) {
      expect(text).toContain(` ${field} `);
      expect(text).toContain(CONTACT_FIELD_SYNONYMS[field].join(", "));
    }
    expect(text).toContain("attribute:<key>");
  });
});

describe("schemaType", () => {
  const doc = { openapi: "3.1.0", info: { title: "t", version: "1" }, components: { schemas: { Contact: { type: "object", properties: { id: { type: "string" } } } } } } as oas31.OpenAPIObject;
  it.each<[string, oas31.SchemaObject | oas31.ReferenceObject, string]>([
    ["a reference", { $ref: "#/components/schemas/Contact" }, "Contact"],
    ["a format", { type: "string", format: "uuid" }, "string (uuid)"],
    ["an enum", { type: "string", enum: ["email", "sms"] }, '"email" | "sms"'],
    ["nullable by type", { type: ["string", "null"] }, "string or null"],
    ["nullable by anyOf", { anyOf: [{ type: "string", format: "date-time" }, { type: "null" }] }, "string (date-time) or null"],
    ["an array of references", { type: "array", items: { $ref: "#/components/schemas/Contact" } }, "array of Contact"],
    ["a map", { type: "object", additionalProperties: { type: "string" } }, "object of string"],
    ["a file", { type: "string", contentMediaType: "application/octet-stream" }, "file"],
    ["anything", {}, "any JSON"],
    ["a refused key", { not: {} }, "not allowed"],
  ])("%s → %s", (_name, schema, expected) => {
    expect(schemaType(schema, doc)).toBe(expected);
  });

  it("nests an object's fields under their parent's name", () => {
    const schema: oas31.SchemaObject = { type: "object", required: ["a"], properties: { a: { type: "object", properties: { b: { type: "integer", minimum: 1, maximum: 9 } } } } };
    expect(schemaFields(schema, doc)).toEqual([
      { name: "a", type: "{b}", required: true },
      { name: "a.b", type: "integer, 1–9", required: false },
    ]);
  });
});
