import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listImports } from "@/db/queries/imports";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { type FakeS3, startFakeS3 } from "@/test/fakes/fake-s3";
import { useTestDatabase } from "@/test/support/database";
import { contactCount, runImport, setUpImportEnvironment } from "@/test/inngest/functions/imports/import-harness";

// The import flow end to end with S3_BUCKET set: the route streams the upload into the loopback
// S3 through the real SDK, import-contacts reads it back from there, and finishing deletes it.
const env = await setUpImportEnvironment();
const routes = await import("@/app/api/v1/imports/route");
const { importContacts } = await import("@/inngest/functions/imports/import-contacts");

let database: Database;
let fake: FakeS3;
let apiKey: string;
let workspaceId: string;
const S3_VARIABLES = ["S3_BUCKET", "S3_ENDPOINT", "S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const;

function useS3(settings: { endpoint: string; accessKeyId?: string; secretAccessKey?: string }) {
  Object.assign(process.env, {
    S3_BUCKET: "uploads",
    S3_ENDPOINT: settings.endpoint,
    S3_REGION: fake.region,
    S3_ACCESS_KEY_ID: settings.accessKeyId ?? fake.accessKeyId,
    S3_SECRET_ACCESS_KEY: settings.secretAccessKey ?? fake.secretAccessKey,
  });
}

beforeAll(async () => {
  fake = await startFakeS3();
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "S3 uploads" }));
});
afterAll(async () => {
  for (const name of S3_VARIABLES) delete process.env[name];
  await database.close();
  await fake.stop();
  await env.tearDown();
});

async function upload(text: string) {
  const form = new FormData();
  form.append("file", new Blob([text], { type: "text/csv" }), "contacts.csv");
  const request = new Request("http://localhost/api/v1/imports", { method: "POST", headers: { authorization: `Bearer ${apiKey}` }, body: form });
  const response = await routes.POST(request, { params: Promise.resolve({}) });
  return { status: response.status, text: await response.text() };
}

const importCount = async () => (await listImports(database.db, { workspaceId, limit: 1000 })).length;

describe("imports with S3 storage", () => {
  it("stores the upload in the bucket, imports it from there, and deletes it when done", async () => {
    useS3({ endpoint: fake.url });
    const created = await upload("email,first name\nann@example.com,Ann\nbob@example.com,Bob\n");
    expect(created.status).toBe(202);
    const { id } = JSON.parse(created.text) as { id: string };
    const stored = [...fake.objects.keys()].filter((key) => key.startsWith(`uploads/imports/${workspaceId}/`));
    expect(stored).toHaveLength(1);
    expect(fake.objects.get(stored[0]!)?.toString()).toContain("ann@example.com");

    await runImport(importContacts, workspaceId, id);
    const [row] = await listImports(database.db, { workspaceId, limit: 1 });
    expect(row).toMatchObject({ id, status: "completed", inserted: 2, failed: 0 });
    expect(await contactCount(database, workspaceId)).toBe(2);
    expect(fake.objects.has(stored[0]!)).toBe(false);
    expect(fake.requests.filter((request) => request.status >= 400)).toEqual([]);
  });

  it.each([
    ["down", async () => {
      const down = await startFakeS3();
      await down.stop();
      return { endpoint: down.url };
    }],
    ["refusing our credentials", async () => ({ endpoint: fake.url, secretAccessKey: "a-wrong-secret-value" })],
  ])("answers 503 storage_unavailable while storage is %s, telling the caller nothing internal", async (_case, settings) => {
    const s3 = await settings();
    useS3(s3);
    const before = await importCount();
    const answer = await upload("email\nnobody@example.com\n");
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.text)).toEqual({ error: { code: "storage_unavailable", message: expect.any(String) } });
    for (const internal of [s3.endpoint, String(new URL(s3.endpoint).port), "ECONNREFUSED", "Signature", "a-wrong-secret-value", fake.accessKeyId, "uploads", "S3"]) {
      expect(answer.text).not.toContain(internal);
    }
    expect(await importCount()).toBe(before);
  });
});
