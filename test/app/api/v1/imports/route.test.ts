import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { insertList } from "@/db/queries/lists";
import { IMPORT_MAX_FILE_BYTES } from "@/lib/imports/limits";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { contactCount, runImport, setUpImportEnvironment } from "@/test/inngest/functions/imports/import-harness";

const env = await setUpImportEnvironment();
const routes = await import("@/app/api/v1/imports/route");
const detail = await import("@/app/api/v1/imports/[id]/route");
const errorsRoute = await import("@/app/api/v1/imports/[id]/errors/route");
const cancelRoute = await import("@/app/api/v1/imports/[id]/cancel/route");
const { importContacts } = await import("@/inngest/functions/imports/import-contacts");

let database: Database;
let apiKey: string;
let otherKey: string;
let workspaceId: string;
let otherWorkspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Uploads" }));
  ({ apiKey: otherKey, workspace: { id: otherWorkspaceId } } = await createWorkspace(database.db, { name: "Other" }));
});
afterAll(async () => {
  await database.close();
  await env.tearDown();
});

type Part = string | { text: string; name?: string };

/** POSTs a real multipart body built by FormData, as a browser or curl -F would. */
async function upload(parts: Record<string, Part>, key: string | undefined = apiKey) {
  const form = new FormData();
  for (const [name, part] of Object.entries(parts)) {
    if (typeof part === "string") form.append(name, part);
    else form.append(name, new Blob([part.text], { type: "text/csv" }), part.name ?? "contacts.csv");
  }
  const request = new Request("http://localhost/api/v1/imports", {
    method: "POST",
    headers: key ? { authorization: `Bearer ${key}` } : {},
    body: form,
  });
  const response = await routes.POST(request, { params: Promise.resolve({}) });
  return { status: response.status, body: (await response.json()) as { id: string; status: string; error: { code: string; fields: Record<string, string[]> } } };
}

const CSV = "email,first name,phone\nann@example.com,Ann,+14155550101\nbob@example.com,Bob,\n";
const lastEvent = () => env.recorder.events.at(-1)!;
const get = (id: string, key = apiKey) => callRoute(detail.GET, { path: `/api/v1/imports/${id}`, apiKey: key, params: { id } });

describe("POST /api/v1/imports", () => {
  it("stores the file, queues the import and the function completes it", async () => {
    const created = await upload({ file: { text: CSV } });
    expect(created).toEqual({ status: 202, body: { id: expect.any(String), status: "queued" } });
    expect(lastEvent()).toMatchObject({ id: `contact-import-${created.body.id}`, name: "import/contacts.requested", data: { workspaceId, importId: created.body.id } });

    await runImport(importContacts, workspaceId, created.body.id);
    const status = await get(created.body.id);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ id: created.body.id, status: "completed", fileName: "contacts.csv", kind: "csv", mode: "upsert", total: 2, processed: 2, inserted: 2, failed: 0 });
    expect(status.body).not.toHaveProperty("fileKey");
    expect(status.body).not.toHaveProperty("workspaceId");

    const list = await callRoute(routes.GET, { path: "/api/v1/imports", apiKey });
    expect(list.body.data.map((row: { id: string }) => row.id)).toContain(created.body.id);
  });

  it("answers 200 with the existing import when the same file is posted again", async () => {
    const first = await upload({ file: { text: "email\nsame@example.com\n" }, mode: "skip-existing" });
    const again = await upload({ file: { text: "email\nsame@example.com\n", name: "renamed.csv" }, mode: "skip-existing" });
    expect(first.status).toBe(202);
    expect(again).toEqual({ status: 200, body: { id: first.body.id, status: "queued" } });
  });

  it("adds contacts to a list of the workspace; another workspace's list is 404", async () => {
    const mine = (await insertList(database.db, { workspaceId, name: "Upload list", description: null }))!;
    const theirs = (await insertList(database.db, { workspaceId: otherWorkspaceId, name: "Theirs", description: null }))!;
    const ok = await upload({ file: { text: "email\nlisted@example.com\n" }, listId: mine.id, mapping: JSON.stringify({ email: "email" }) });
    expect(ok.status).toBe(202);
    const foreign = await upload({ file: { text: "email\nlisted@example.com\n" }, listId: theirs.id });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("not_found");
  });

  it.each([
    ["no file", { mode: "upsert" }, "file"],
    ["an unknown mode", { file: { text: CSV }, mode: "replace-all" }, "mode"],
    ["mapping that is not JSON", { file: { text: CSV }, mapping: "{email:" }, "mapping"],
    ["mapping to an unknown target", { file: { text: CSV }, mapping: JSON.stringify({ Email: "status" }) }, "mapping.Email"],
    ["an unknown field", { file: { text: CSV }, workspaceId: "x" }, "workspaceId"],
    ["a second file part", { file: { text: CSV }, attachment: { text: CSV } }, "file"],
    ["a malformed listId", { file: { text: CSV }, listId: "42" }, "listId"],
    ["an unknown tagsAs", { file: { text: CSV }, tagsAs: "folders" }, "tagsAs"],
  ] as [string, Record<string, Part>, string][])("%s → 400 with a field error", async (_case, parts, field) => {
    const response = await upload(parts);
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.fields)).toContain(field);
  });

  it("says what a mapping target may be, not only that it is wrong", async () => {
    const response = await upload({ file: { text: CSV }, mapping: JSON.stringify({ Email: "emial" }) });
    expect(response.body.error.fields["mapping.Email"]).toEqual([expect.stringMatching(/^must be one of email, .*"ignore" or "attribute:<key>"/)]);
  });

  it("refuses a body that is not multipart", async () => {
    const response = await callRoute(routes.POST, { method: "POST", path: "/api/v1/imports", apiKey, body: { file: "x" } });
    expect(response.status).toBe(400);
  });

  it("401 without a valid key", async () => {
    expect((await upload({ file: { text: CSV } }, "")).status).toBe(401);
    expect((await upload({ file: { text: CSV } }, "sl_00000000_" + "a".repeat(43))).status).toBe(401);
  });

  it("stops reading an upload past the size cap and stores nothing", { timeout: 60_000 }, async () => {
    const boundary = "----sendline-test-boundary";
    const chunk = new TextEncoder().encode("a@example.com,Ann\n".repeat(4096));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\nemail,name\n`));
      },
      pull(controller) {
        if (sent > IMPORT_MAX_FILE_BYTES * 2) {
          controller.enqueue(new TextEncoder().encode(`\r\n--${boundary}--\r\n`));
          controller.close();
          return;
        }
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const request = new Request("http://localhost/api/v1/imports", {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: "half",
    } as RequestInit);
    const response = await routes.POST(request, { params: Promise.resolve({}) });
    expect(response.status).toBe(413);
    // It answered long before the client finished sending twice the cap.
    expect(sent).toBeLessThan(IMPORT_MAX_FILE_BYTES * 1.2);
    const fs = await import("node:fs");
    const stored = fs.readdirSync(`${env.dataDir}/files/imports/${workspaceId}`, { recursive: true }).filter((name) => String(name).includes("partial"));
    expect(stored).toEqual([]);
  });
});

describe("GET /api/v1/imports/:id, errors and cancel", () => {
  it("another workspace's import, or a malformed id, is 404", async () => {
    const mine = await upload({ file: { text: "email\nprivate@example.com\n" } });
    expect((await get(mine.body.id, otherKey)).status).toBe(404);
    expect((await get("../../etc")).status).toBe(404);
    const errors = await callRoute(errorsRoute.GET, { path: "/", apiKey: otherKey, params: { id: mine.body.id } });
    expect(errors.status).toBe(404);
    const cancel = await callRoute(cancelRoute.POST, { method: "POST", path: "/", apiKey: otherKey, params: { id: mine.body.id } });
    expect(cancel.status).toBe(404);
  });

  it("serves the error report as formula-escaped CSV", async () => {
    const text = 'email,phone,note\n"=HYPERLINK(""http://evil.example"",""x"")",,a\nok@example.com,+cmd|calc,b\n@SUM(A1),,c\n';
    const created = await upload({ file: { text } });
    await runImport(importContacts, workspaceId, created.body.id);
    const report = await callRoute(errorsRoute.GET, { path: "/", apiKey, params: { id: created.body.id } });
    expect(report.status).toBe(200);
    expect(report.response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = String(report.body).replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    expect(lines).toEqual([
      "line,column,reason,value",
      `2,email,email is not an email address,"'=HYPERLINK(""http://evil.example"",""x"")"`,
      "3,phone,warning: phone is not a phone number; imported without it,'+cmd|calc",
      "4,email,email is not an email address,'@SUM(A1)",
    ]);
  });

  it("cancels a queued import: the run writes nothing; a finished import cannot be cancelled", async () => {
    const created = await upload({ file: { text: "email\ncancelled@example.com\n" } });
    const cancel = await callRoute(cancelRoute.POST, { method: "POST", path: "/", apiKey, params: { id: created.body.id } });
    expect(cancel.status).toBe(200);
    expect(cancel.body.status).toBe("cancelled");
    const before = await contactCount(database, workspaceId);
    const run = await runImport(importContacts, workspaceId, created.body.id);
    expect(run.result).toEqual({ status: "cancelled" });
    expect(await contactCount(database, workspaceId)).toBe(before);

    const done = await upload({ file: { text: "email\nfinished@example.com\n" } });
    await runImport(importContacts, workspaceId, done.body.id);
    const late = await callRoute(cancelRoute.POST, { method: "POST", path: "/", apiKey, params: { id: done.body.id } });
    expect(late.status).toBe(409);
  });
});
