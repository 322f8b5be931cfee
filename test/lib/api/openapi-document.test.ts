import fs from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import type { oas31 } from "zod-openapi";
import type { Database } from "@/db";
import { API_BASE_PATH } from "@/lib/api/api-operation";
import { campaignsApi } from "@/lib/api/contracts/campaigns";
import { categoriesApi } from "@/lib/api/contracts/categories";
import { preferencesApi } from "@/lib/api/contracts/preferences";
import { contactsApi } from "@/lib/api/contracts/contacts";
import { creditsApi } from "@/lib/api/contracts/credits";
import { listsApi } from "@/lib/api/contracts/lists";
import { messagesApi } from "@/lib/api/contracts/messages";
import { segmentsApi } from "@/lib/api/contracts/segments";
import { templatesApi } from "@/lib/api/contracts/templates";
import { openApiDocument } from "@/lib/api/openapi-document";
import { CAMPAIGN_ACTIONS } from "@/lib/campaigns/campaign-actions";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const API_DIR = path.join(ROOT, "app/api/v1");
const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
/** Dynamic segments that stand for a fixed set of words rather than an id. */
const SEGMENT_VALUES: Record<string, readonly string[]> = { action: CAMPAIGN_ACTIONS };

type RouteModule = Partial<Record<(typeof HTTP_METHODS)[number], (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>>>;
type ServedRoute = { method: string; path: string; file: string; params: Record<string, string> };

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? routeFiles(full) : entry.name === "route.ts" ? [full] : [];
  });
}

/** `campaigns/[id]/[action]` → `/campaigns/{id}/schedule`, …: every concrete path a route file serves. */
function documentPaths(file: string): { path: string; params: Record<string, string> }[] {
  let paths = [{ path: "", params: {} as Record<string, string> }];
  for (const segment of path.relative(API_DIR, path.dirname(file)).split(path.sep)) {
    const name = /^\[(\w+)\]$/.exec(segment)?.[1];
    const values = name ? SEGMENT_VALUES[name] : undefined;
    paths = paths.flatMap((prefix) =>
      values
        ? values.map((value) => ({ path: `${prefix.path}/${value}`, params: { ...prefix.params, [name!]: value } }))
        : [{ path: `${prefix.path}/${name ? `{${name}}` : segment}`, params: prefix.params }],
    );
  }
  return paths;
}

async function servedRoutes(): Promise<ServedRoute[]> {
  const routes: ServedRoute[] = [];
  for (const file of routeFiles(API_DIR)) {
    const routeModule = (await import(file)) as RouteModule;
    for (const method of HTTP_METHODS) {
      if (typeof routeModule[method] !== "function") continue;
      for (const { path: p, params } of documentPaths(file)) routes.push({ method: method.toLowerCase(), path: p, file, params });
    }
  }
  return routes;
}

const document = openApiDocument();
const documented = Object.entries(document.paths ?? {}).flatMap(([p, item]) =>
  HTTP_METHODS.map((m) => m.toLowerCase()).filter((m) => (item as Record<string, unknown>)[m]).map((m) => `${m.toUpperCase()} ${p}`),
);

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1", async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(JSON.stringify(document)) as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("lists every method of every /api/v1 route file, and nothing else", async () => {
    const served = (await servedRoutes()).map((route) => `${route.method.toUpperCase()} ${route.path}`);
    expect(served.length).toBeGreaterThan(40);
    expect(documented.filter((entry) => !served.includes(entry)), "documented but not served").toEqual([]);
    expect(served.filter((entry) => !documented.includes(entry)), "served but not documented").toEqual([]);
    expect(document.servers).toEqual([{ url: API_BASE_PATH }]);
  });

  it("needs the API key everywhere but on itself", () => {
    expect(document.components?.securitySchemes).toEqual({ apiKey: expect.objectContaining({ type: "http", scheme: "bearer" }) });
    expect(document.security).toEqual([{ apiKey: [] }]);
    for (const entry of documented) {
      const [method, p] = entry.split(" ") as [string, string];
      const operation = (document.paths![p] as Record<string, oas31.OperationObject>)[method.toLowerCase()]!;
      // Public by design: the document itself, and the VAPID public key pages subscribe with.
      if (p === "/openapi.json" || p === "/push/vapid-public-key") expect(operation.security).toEqual([]);
      else expect(Object.keys(operation.responses ?? {}), entry).toContain("401");
    }
  });

  it("describes the error body once and points every error response at it", () => {
    expect(document.components?.schemas?.Error).toMatchObject({ properties: { error: { required: ["code", "message"] } } });
    for (const item of Object.values(document.paths ?? {})) {
      for (const operation of Object.values(item as Record<string, oas31.OperationObject>)) {
        for (const [status, response] of Object.entries(operation.responses ?? {})) {
          if (Number(status) < 400) continue;
          expect((response as oas31.ResponseObject).content?.["application/json"]?.schema).toEqual({ $ref: "#/components/schemas/Error" });
        }
      }
    }
  });
});

/**
 * The routes validate with the document's schemas: for every JSON body, an empty object is
 * refused naming exactly the properties the document says are required, and a key the
 * document does not allow is refused by its name. Path ids are a real list (the members routes
 * look it up before reading the body); the others read the body first.
 */
describe("the routes answer as the document says", () => {
  let database: Database;
  let apiKey: string;
  let listId: string;

  beforeAll(async () => {
    database = await useTestDatabase();
    ({ apiKey } = await createWorkspace(database.db, { name: "Contract" }));
    const { POST } = await import("@/app/api/v1/lists/route");
    listId = (await callRoute(POST, { method: "POST", path: "/api/v1/lists", apiKey, body: { name: "Contract" } })).body.id;
  });
  afterAll(() => database.close());

  async function call(route: ServedRoute, body: unknown) {
    const handler = ((await import(route.file)) as RouteModule)[route.method.toUpperCase() as "POST"]!;
    const params = { ...route.params, ...(route.path.includes("{id}") ? { id: listId } : {}) };
    const url = `${API_BASE_PATH}${route.path.replace("{id}", listId)}`;
    return callRoute(handler, { method: route.method.toUpperCase(), path: url, apiKey, params, body });
  }

  it("for every JSON body: required fields and unknown keys", async () => {
    const jsonBodies = (await servedRoutes()).flatMap((route) => {
      const operation = (document.paths![route.path] as Record<string, oas31.OperationObject>)[route.method]!;
      const schema = (operation.requestBody as oas31.RequestBodyObject | undefined)?.content["application/json"]?.schema as oas31.SchemaObject | undefined;
      return schema ? [{ route, schema }] : [];
    });
    expect(jsonBodies.map(({ route }) => `${route.method} ${route.path}`).length).toBeGreaterThanOrEqual(12);
    for (const { route, schema } of jsonBodies) {
      const name = `${route.method.toUpperCase()} ${route.path}`;
      expect(schema.additionalProperties, name).toBe(false);
      // With nothing required, `{}` may be valid (a preview of sample data) or refused as a whole ("names no field to change").
      const required = schema.required ?? [];
      const empty = await call(route, {});
      if (required.length > 0 || empty.status === 400) {
        expect(empty.status, name).toBe(400);
        expect(Object.keys(empty.body.error.fields).sort(), name).toEqual(required.length > 0 ? [...required].sort() : ["(body)"]);
      }

      const unknown = await call(route, { notAField: true });
      expect(unknown.status, name).toBe(400);
      expect(unknown.body.error.fields.notAField, name).toEqual(["is not a known field"]);
    }
  });
});

/** The documented response schemas are what the routes send: every key documented, none left out. */
describe("the documented responses", () => {
  let database: Database;
  let apiKey: string;

  beforeAll(async () => {
    database = await useTestDatabase();
    ({ apiKey } = await createWorkspace(database.db, { name: "Responses" }));
  });
  afterAll(() => database.close());

  function expectDocumented(schema: z.ZodType | undefined, response: { status: number; body: unknown }, name: string) {
    const parsed = schema!.safeParse(response.body);
    expect(parsed.success ? [] : parsed.error.issues, name).toEqual([]);
    // Parsing drops keys the schema does not know: nothing may be dropped.
    expect(parsed.data, name).toEqual(response.body);
  }

  it("match what the routes answer", async () => {
    const lists = await import("@/app/api/v1/lists/route");
    const list = await callRoute(lists.POST, { method: "POST", path: "/api/v1/lists", apiKey, body: { name: "Shape", description: "d" } });
    expectDocumented(listsApi.create.responses[201].schema, list, "POST /lists");
    const listById = await import("@/app/api/v1/lists/[id]/route");
    expectDocumented(listsApi.get.responses[200].schema, await callRoute(listById.GET, { path: "/", apiKey, params: { id: list.body.id } }), "GET /lists/{id}");

    const contacts = await import("@/app/api/v1/contacts/route");
    const contact = await callRoute(contacts.POST, { method: "POST", path: "/api/v1/contacts", apiKey, body: { email: "Ann@Example.com", birthday: "--11-23", attributes: { plan: "pro", tags: ["a"] } } });
    expectDocumented(contactsApi.upsert.responses[201].schema, contact, "POST /contacts");
    expectDocumented(contactsApi.list.responses[200].schema, await callRoute(contacts.GET, { path: "/api/v1/contacts", apiKey }), "GET /contacts");
    const members = await import("@/app/api/v1/lists/[id]/members/route");
    const added = await callRoute(members.POST, { method: "POST", path: "/", apiKey, params: { id: list.body.id }, body: { contactIds: [contact.body.id] } });
    expectDocumented(listsApi.addMembers.responses[200].schema, added, "POST /lists/{id}/members");
    expectDocumented(listsApi.members.responses[200].schema, await callRoute(members.GET, { path: "/", apiKey, params: { id: list.body.id } }), "GET /lists/{id}/members");

    const templates = await import("@/app/api/v1/templates/route");
    const template = await callRoute(templates.POST, { method: "POST", path: "/api/v1/templates", apiKey, body: { channel: "email", name: "Hi", subject: "Hi", body: "<p>Hi {{ contact.first_name }}</p>" } });
    expectDocumented(templatesApi.create.responses[201].schema, template, "POST /templates");
    const preview = await import("@/app/api/v1/templates/[id]/preview/route");
    const rendered = await callRoute(preview.POST, { method: "POST", path: "/", apiKey, params: { id: template.body.id }, body: { contactId: contact.body.id } });
    expectDocumented(templatesApi.preview.responses[200].schema, rendered, "POST /templates/{id}/preview");

    const segments = await import("@/app/api/v1/segments/route");
    const segment = await callRoute(segments.POST, { method: "POST", path: "/api/v1/segments", apiKey, body: { name: "Pro", filter: { attribute: "plan", op: "eq", value: "pro" } } });
    expectDocumented(segmentsApi.create.responses[201].schema, segment, "POST /segments");
    const count = await import("@/app/api/v1/segments/[id]/count/route");
    expectDocumented(segmentsApi.count.responses[200].schema, await callRoute(count.GET, { path: "/", apiKey, params: { id: segment.body.id } }), "GET /segments/{id}/count");

    const campaigns = await import("@/app/api/v1/campaigns/route");
    const campaign = await callRoute(campaigns.POST, { method: "POST", path: "/api/v1/campaigns", apiKey, body: { name: "News", channel: "email", templateId: template.body.id, audience: { listId: list.body.id } } });
    expectDocumented(campaignsApi.create.responses[201].schema, campaign, "POST /campaigns");
    expectDocumented(campaignsApi.list.responses[200].schema, await callRoute(campaigns.GET, { path: "/api/v1/campaigns", apiKey }), "GET /campaigns");

    const categories = await import("@/app/api/v1/categories/route");
    const category = await callRoute(categories.POST, { method: "POST", path: "/api/v1/categories", apiKey, body: { key: "billing", name: "Billing", channelDefaults: { sms: false } } });
    expectDocumented(categoriesApi.create.responses[201].schema, category, "POST /categories");
    expectDocumented(categoriesApi.list.responses[200].schema, await callRoute(categories.GET, { path: "/api/v1/categories", apiKey }), "GET /categories");
    const preferences = await import("@/app/api/v1/contacts/[id]/preferences/route");
    const changed = await callRoute(preferences.PATCH, { method: "PATCH", path: "/", apiKey, params: { id: contact.body.id }, body: { preferences: [{ channel: "email", category: "billing", enabled: false }] } });
    expectDocumented(preferencesApi.update.responses[200].schema, changed, "PATCH /contacts/{id}/preferences");
    expectDocumented(preferencesApi.get.responses[200].schema, await callRoute(preferences.GET, { path: "/", apiKey, params: { id: contact.body.id } }), "GET /contacts/{id}/preferences");

    const credits = await import("@/app/api/v1/credits/route");
    expectDocumented(creditsApi.get.responses[200].schema, await callRoute(credits.GET, { path: "/api/v1/credits", apiKey }), "GET /credits");
    const messages = await import("@/app/api/v1/messages/route");
    expectDocumented(messagesApi.list.responses[200].schema, await callRoute(messages.GET, { path: "/api/v1/messages", apiKey }), "GET /messages");
  });
});
