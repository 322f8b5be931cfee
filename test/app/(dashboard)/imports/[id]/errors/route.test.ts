import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/(dashboard)/imports/[id]/errors/route";
import { ERROR_REPORT_PAGE_ROWS } from "@/lib/imports/error-report-response";
import { WORKSPACE_COOKIE } from "@/app/_lib/workspace-cookie";
import type { Database } from "@/db";
import { insertImport } from "@/db/queries/imports";
import { importErrors } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;
let otherWorkspaceId: string;
let importId: string;
let otherImportId: string;
let bigImportId: string;

async function seedImport(workspace: string, sha256: string): Promise<string> {
  const { row } = await insertImport(database.db, {
    workspaceId: workspace,
    mode: "upsert",
    listId: null,
    fileKey: `imports/${workspace}/${sha256}`,
    fileName: "contacts.csv",
    sha256,
    bytes: 10,
    sheetName: null,
    mapping: {},
    mappingHash: "h",
    chunkRows: 100,
  });
  return row.id;
}

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Mine" }));
  ({ workspace: { id: otherWorkspaceId } } = await createWorkspace(database.db, { name: "Theirs" }));
  importId = await seedImport(workspaceId, "a".repeat(64));
  otherImportId = await seedImport(otherWorkspaceId, "b".repeat(64));
  bigImportId = await seedImport(workspaceId, "c".repeat(64));
  await database.db.insert(importErrors).values([
    { importId, workspaceId, line: 7, column: "phone", reason: "is not a phone number", value: "+1 (555) nope" },
    { importId, workspaceId, line: 3, column: "email", reason: "is not an email address", value: "=HYPERLINK(\"http://evil\",\"x\")" },
    { importId, workspaceId, line: 5, column: null, reason: "has 3 cells, the header has 2", value: null },
    { importId, workspaceId, line: 9, column: "note", reason: "too long", value: "+SUM(A1), \"quoted\"\nnext" },
    { importId: otherImportId, workspaceId: otherWorkspaceId, line: 2, column: "email", reason: "secret of theirs", value: "x" },
  ]);
  // More than one page of the stream, to see the keyset continue.
  const many = Array.from({ length: ERROR_REPORT_PAGE_ROWS + 5 }, (_, index) => ({
    importId: bigImportId,
    workspaceId,
    line: index + 2,
    column: "email",
    reason: "is empty",
    value: null,
  }));
  await database.db.insert(importErrors).values(many);
});
afterAll(async () => {
  await database.close();
});

function get(id: string, options: { workspace?: string; cookie?: string } = {}) {
  const query = options.workspace ? `?workspace=${options.workspace}` : "";
  const request = new Request(`http://localhost/imports/${id}/errors${query}`, {
    headers: options.cookie ? { cookie: `${WORKSPACE_COOKIE}=${options.cookie}` } : {},
  });
  return GET(request, { params: Promise.resolve({ id }) });
}

describe("GET /imports/:id/errors (dashboard)", () => {
  it("streams the report in line order, formula-escaped, as a CSV attachment", async () => {
    const response = await get(importId, { cookie: workspaceId });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="import-${importId}-errors.csv"`);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3))).toBe(
      [
        "line,column,reason,value",
        `3,email,is not an email address,"'=HYPERLINK(""http://evil"",""x"")"`,
        "5,,\"has 3 cells, the header has 2\",",
        "7,phone,is not a phone number,'+1 (555) nope",
        `9,note,too long,"'+SUM(A1), ""quoted""\nnext"`,
        "",
      ].join("\r\n"),
    );
  });

  it("finds the workspace from ?workspace= as pages do", async () => {
    expect((await get(importId, { workspace: workspaceId, cookie: otherWorkspaceId })).status).toBe(200);
  });

  it.each([
    ["another workspace's import (selected by cookie)", () => get(otherImportId, { cookie: workspaceId })],
    ["another workspace's import (selected by query)", () => get(otherImportId, { workspace: workspaceId })],
    ["my import while another workspace is selected", () => get(importId, { cookie: otherWorkspaceId })],
    ["an unknown id", () => get("00000000-0000-4000-8000-000000000000", { cookie: workspaceId })],
    ["a malformed id", () => get("not-a-uuid", { cookie: workspaceId })],
  ])("answers 404 for %s", async (_name, call) => {
    const response = await call();
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("secret of theirs");
  });

  it("streams past one database page without losing or repeating rows", async () => {
    const text = await (await get(bigImportId, { cookie: workspaceId })).text();
    const lines = text.replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    expect(lines).toHaveLength(ERROR_REPORT_PAGE_ROWS + 5 + 1);
    expect(lines[1]).toBe("2,email,is empty,");
    expect(lines.at(-1)).toBe(`${ERROR_REPORT_PAGE_ROWS + 6},email,is empty,`);
  });
});
