import { describe, expect, it } from "vitest";
import { attributeText, contactName, contactsFilterParams, parseContactsQuery } from "@/app/(dashboard)/_lib/contacts-query";
import { formatBytes, isImportActive, progressLabel, progressPercent } from "@/app/(dashboard)/_lib/imports";
import { cookieValue, workspaceForRequest } from "@/app/(dashboard)/_lib/request-workspace";
import { uploadFieldsOf, uploadFileName } from "@/app/(dashboard)/_lib/upload-import";
import { DASHBOARD_UPLOAD_MAX_BYTES, SERVER_ACTION_BODY_LIMIT_BYTES } from "@/app/(dashboard)/_lib/upload-limits";
import { WORKSPACE_COOKIE } from "@/app/_lib/workspace-cookie";
import { isDashboardPath } from "@/proxy";
import type { Import } from "@/db/queries/imports";
import type { Workspace } from "@/db/queries/workspaces";
import { encodeCursor } from "@/core/pagination/cursor";

type Progress = Pick<Import, "status" | "processed" | "total">;
const progress = (status: Import["status"], processed: number, total: number | null): Progress => ({ status, processed, total });

describe("progressPercent", () => {
  it.each([
    ["queued, total unknown", progress("queued", 0, null), null],
    ["running, total unknown", progress("running", 0, null), null],
    ["running, none yet", progress("running", 0, 400), 0],
    ["running, a third (floored)", progress("running", 1, 3), 33],
    ["running, 999 of 1000 is not yet 100", progress("running", 999, 1000), 99],
    ["running, all rows", progress("running", 1000, 1000), 100],
    ["running, processed beyond total", progress("running", 12, 10), 100],
    ["running, total zero", progress("running", 0, 0), 0],
    ["completed, total never set", progress("completed", 0, null), 100],
    ["completed", progress("completed", 10, 10), 100],
    ["failed halfway", progress("failed", 5, 10), 50],
    ["failed before inspecting", progress("failed", 0, null), null],
    ["cancelled at a quarter", progress("cancelled", 25, 100), 25],
  ] as const)("%s → %s", (_name, row, expected) => {
    expect(progressPercent(row)).toBe(expected);
  });
});

describe("progressLabel", () => {
  it.each([
    [progress("running", 1234, 5000), "1,234 / 5,000 rows"],
    [progress("queued", 0, null), "0 rows"],
  ])("%j → %s", (row, expected) => {
    expect(progressLabel(row)).toBe(expected);
  });
});

describe("isImportActive", () => {
  it.each([
    ["queued", true],
    ["running", true],
    ["completed", false],
    ["failed", false],
    ["cancelled", false],
  ] as const)("%s → %s", (status, expected) => {
    expect(isImportActive(status)).toBe(expected);
  });
});

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [1023, "1023 B"],
    [1536, "1.5 KB"],
    [20 * 1024 * 1024, "20 MB"],
    [3 * 1024 ** 3, "3.0 GB"],
  ])("%d → %s", (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });
});

describe("parseContactsQuery", () => {
  const LIST_ID = "7d4f8a8e-2b6c-4c61-9d59-0f1e2a3b4c5d";
  const position = { at: new Date("2025-01-02T03:04:05.678Z"), id: "0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d" };

  it("normalises the email as the API does", () => {
    const query = parseContactsQuery({ email: "  Ada@Example.COM " });
    expect(query).toMatchObject({ emailInput: "Ada@Example.COM", email: "ada@example.com", emailError: undefined });
  });

  it.each([["not-an-email"], ["ada@"], ["@example.com"]])("reports an invalid email %j", (email) => {
    const query = parseContactsQuery({ email });
    expect(query.email).toBeUndefined();
    expect(query.emailError).toEqual(expect.any(String));
  });

  it("reads status, list and cursor", () => {
    expect(parseContactsQuery({ status: "unsubscribed", listId: LIST_ID, cursor: encodeCursor(position) })).toMatchObject({
      status: "unsubscribed",
      listId: LIST_ID,
      after: position,
    });
  });

  it.each([
    ["an unknown status", { status: "bounced" }],
    ["a malformed list id", { listId: "1 or 1=1" }],
    ["a forged cursor", { cursor: "bm90IGEgY3Vyc29y" }],
    ["empty values", { email: "", status: "", listId: "", cursor: "" }],
  ])("ignores %s", (_name, searchParams) => {
    expect(parseContactsQuery(searchParams)).toEqual({
      emailInput: undefined,
      email: undefined,
      emailError: undefined,
      status: undefined,
      listId: undefined,
      after: undefined,
    });
  });

  it("carries the normalised email into links, or what was typed when invalid", () => {
    expect(contactsFilterParams(parseContactsQuery({ email: "ADA@example.com", status: "subscribed" }))).toEqual({
      email: "ada@example.com",
      status: "subscribed",
      listId: undefined,
    });
    expect(contactsFilterParams(parseContactsQuery({ email: "nope" })).email).toBe("nope");
  });
});

describe("contactName", () => {
  it.each([
    [{ firstName: "Ada", lastName: "Lovelace" }, "Ada Lovelace"],
    [{ firstName: "Ada", lastName: null }, "Ada"],
    [{ firstName: null, lastName: "Lovelace" }, "Lovelace"],
    [{ firstName: null, lastName: null }, null],
    [{ firstName: "", lastName: "" }, null],
  ])("%j → %s", (contact, expected) => {
    expect(contactName(contact)).toBe(expected);
  });
});

describe("attributeText", () => {
  it.each([
    ["pro", "pro"],
    [42, "42"],
    [true, "true"],
    [null, "null"],
    [{ a: [1, 2] }, '{"a":[1,2]}'],
  ])("%j → %s", (value, expected) => {
    expect(attributeText(value)).toBe(expected);
  });
});

describe("workspaceForRequest", () => {
  const workspace = (id: string): Workspace => ({ id, name: id, emailFrom: null, defaultRegion: "US", erasureRequestedAt: null, createdAt: new Date() });
  const all = [workspace("oldest"), workspace("b"), workspace("c")];
  const request = (query: string, cookie?: string) =>
    new Request(`http://localhost/imports/x/errors${query}`, { headers: cookie ? { cookie } : {} });

  it.each([
    ["the query parameter first", request("?workspace=b", `${WORKSPACE_COOKIE}=c`), "b"],
    ["the cookie next", request("", `other=1; ${WORKSPACE_COOKIE}=c; more=2`), "c"],
    ["the oldest when neither is known", request("?workspace=gone", `${WORKSPACE_COOKIE}=stale`), "oldest"],
    ["the oldest with no cookie", request(""), "oldest"],
  ])("picks %s", (_name, req, expected) => {
    expect(workspaceForRequest(req, all)?.id).toBe(expected);
  });

  it.each([
    ["a=1; b=2", "b", "2"],
    [" b = x%20y ", "b", "x y"],
    ["ab=1", "b", undefined],
    ["b=%E0%A4%A", "b", "%E0%A4%A"],
    [null, "b", undefined],
  ])("cookieValue(%j, %s) → %s", (header, name, expected) => {
    expect(cookieValue(header, name)).toBe(expected);
  });
});

describe("dashboard gate", () => {
  it.each(["/contacts", "/contacts/x", "/lists", "/imports", "/imports/x", "/imports/x/errors", "/campaigns", "/campaigns/x"])("proxy.ts gates %s", (pathname) => {
    expect(isDashboardPath(pathname)).toBe(true);
  });
});

describe("upload form", () => {
  it.each([
    ["contacts.csv", "contacts.csv"],
    ["C:\\Users\\ada\\contacts.csv", "contacts.csv"],
    ["../../etc/passwd", "passwd"],
    ["bad\u0000\u001fname.csv", "badname.csv"],
    ["", "upload"],
    ["x".repeat(300), "x".repeat(255)],
    // Cut between characters: an emoji straddling the limit is left out whole.
    [`${"x".repeat(254)}😀.csv`, "x".repeat(254)],
    ["lone\ud83d.csv", "lone\ufffd.csv"],
  ])("uploadFileName(%j) → %j", (name, expected) => {
    expect(uploadFileName(name)).toBe(expected);
  });

  it("reads only the API's fields, dropping empty ones", () => {
    const form = new FormData();
    form.set("workspace", "w");
    form.set("mode", "skip-existing");
    form.set("listId", "");
    form.set("mapping", '{"E-mail":"email"}');
    form.set("sheet", "  ");
    form.set("$ACTION_ID_abc", "");
    expect(uploadFieldsOf(form)).toEqual({ mode: "skip-existing", mapping: '{"E-mail":"email"}' });
  });

  it("keeps the dashboard's file cap under Next's server-action body limit", () => {
    expect(DASHBOARD_UPLOAD_MAX_BYTES).toBeLessThan(SERVER_ACTION_BODY_LIMIT_BYTES);
  });
});
