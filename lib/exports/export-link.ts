import { envValue } from "@/core/config/env";
import type { DataExport } from "@/db/queries/data-exports";
import { publicUrl } from "@/lib/config/public-url";
import { signExportLink } from "./export-link-token";

/** Where a signed link is served (app/api/public/exports/[token]): outside the dashboard's login, the signature is the access. */
export const EXPORT_DOWNLOAD_PATH = "/api/public/exports";

/** When an export finished now should stop being downloadable. */
export function exportExpiry(finishedAt: Date, env: NodeJS.ProcessEnv = process.env): Date {
  return new Date(finishedAt.getTime() + envValue("EXPORT_LINK_TTL_HOURS", env) * 3_600_000);
}

/** Whether the export's file may be handed out at `now`. */
export function isDownloadable(row: Pick<DataExport, "status" | "storageKey" | "expiresAt">, now: Date = new Date()): boolean {
  return row.status === "ready" && Boolean(row.storageKey) && row.expiresAt !== null && row.expiresAt.getTime() > now.getTime();
}

/** The signed download link of a ready, unexpired export (valid until the export expires); null otherwise. */
export function exportDownloadUrl(row: Pick<DataExport, "id" | "status" | "storageKey" | "expiresAt">, now: Date = new Date()): string | null {
  if (!isDownloadable(row, now)) return null;
  return `${publicUrl()}${EXPORT_DOWNLOAD_PATH}/${signExportLink({ exportId: row.id, expiresAt: row.expiresAt! })}`;
}
