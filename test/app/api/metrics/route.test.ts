import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { insertImport } from "@/db/queries/imports";
import { GET } from "@/app/api/metrics/route";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { sampleSum } from "@/test/support/prometheus-text";

let database: Database;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Metrics" }));
});
afterAll(() => database.close());

const IMPORT = (workspace: string) => ({
  workspaceId: workspace,
  fileKey: "imports/metrics.csv",
  fileName: "metrics.csv",
  sha256: "0".repeat(64),
  bytes: 10,
  mappingHash: "m",
  chunkRows: 100,
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("GET /api/metrics", () => {
  it("answers Prometheus text, with the database's campaign and import totals read at scrape time", async () => {
    await insertImport(database.db, IMPORT(workspaceId));
    const response = await callRoute(GET, { path: "/api/metrics" });
    expect(response.status).toBe(200);
    expect(response.response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.response.headers.get("cache-control")).toBe("no-store");
    expect(sampleSum(response.body, "sendline_imports", { status: "queued" })).toBe(1);
    expect(sampleSum(response.body, "sendline_import_rows", { outcome: "processed" })).toBe(0);
  });

  it("in production answers 404 without METRICS_TOKEN, 401 with a wrong token, and the metrics with the right one", async () => {
    vi.stubEnv("NODE_ENV", "production");
    expect((await callRoute(GET, { path: "/api/metrics", headers: { authorization: "Bearer guess" } })).status).toBe(404);
    vi.stubEnv("METRICS_TOKEN", "scrape-me");
    const refused = await callRoute(GET, { path: "/api/metrics", headers: { authorization: "Bearer guess" } });
    expect(refused.status).toBe(401);
    expect(refused.response.headers.get("www-authenticate")).toContain("Bearer");
    const scraped = await callRoute(GET, { path: "/api/metrics", headers: { authorization: "Bearer scrape-me" } });
    expect(scraped.status).toBe(200);
    expect(scraped.body).toContain("# TYPE sendline_messages_total counter");
  });
});
