import { describe, expect, it } from "vitest";
import type { DataExport } from "@/db/queries/data-exports";
import { reportExport } from "@/lib/exports/report-export";
import { metrics } from "@/lib/observability/metrics";

const row = (over: Partial<DataExport>): DataExport => ({
  id: "0b7e3c52-64f1-4b8a-9a51-2f1a1c2d3e4f",
  workspaceId: "1b7e3c52-64f1-4b8a-9a51-2f1a1c2d3e4f",
  subject: "workspace",
  contactId: null,
  status: "ready",
  rowsTotal: 1200,
  rowsDone: 1200,
  storageKey: "exports/x/y/zip",
  bytes: 4096,
  sha256: "0".repeat(64),
  notifyEmail: null,
  requestedBy: "api_key:test",
  createdAt: new Date("2026-06-01T00:00:00Z"),
  finishedAt: new Date("2026-06-01T00:00:12Z"),
  expiresAt: new Date("2026-06-04T00:00:12Z"),
  error: null,
  ...over,
});

/** One series' value; a histogram's `_sum` is found under the histogram's name. */
const value = async (name: string, labels: Record<string, string>) => {
  const base = name.replace(/_sum$/, "");
  const metric = (await metrics().registry.getMetricsAsJSON()).find((entry) => entry.name === base);
  const values = metric?.values as { value: number; labels: Record<string, unknown>; metricName?: string }[] | undefined;
  return values?.find((entry) => (entry.metricName ?? base) === name && Object.entries(labels).every(([key, wanted]) => entry.labels[key] === wanted))?.value ?? 0;
};

describe("export metrics", () => {
  it("count a ready export by subject and status, with its rows, bytes and duration", async () => {
    const before = { ready: await value("sendline_exports_total", { subject: "workspace", status: "ready" }), rows: await value("sendline_export_rows_total", { subject: "workspace" }) };
    reportExport(row({}));
    expect(await value("sendline_exports_total", { subject: "workspace", status: "ready" })).toBe(before.ready + 1);
    expect(await value("sendline_export_rows_total", { subject: "workspace" })).toBe(before.rows + 1200);
    expect(await value("sendline_export_bytes_total", { subject: "workspace" })).toBeGreaterThanOrEqual(4096);
    expect(await value("sendline_export_duration_seconds_sum", { subject: "workspace", status: "ready" })).toBeGreaterThanOrEqual(12);
  });

  it("count a failed one apart, with no rows or bytes", async () => {
    const rowsBefore = await value("sendline_export_rows_total", { subject: "contact" });
    reportExport(row({ subject: "contact", status: "failed", rowsDone: 3, bytes: null, error: "The export could not be built: x" }));
    expect(await value("sendline_exports_total", { subject: "contact", status: "failed" })).toBe(1);
    expect(await value("sendline_export_rows_total", { subject: "contact" })).toBe(rowsBefore);
  });
});
