import { getDatabase } from "@/db";
import { downloadExport } from "@/lib/exports/download-export";
import { createFileStorage } from "@/lib/storage/create-file-storage";

/**
 * An export's signed download link (lib/exports/export-link-token.ts), outside the dashboard's
 * login: the signature is the access, and it expires with the export.
 */
export async function GET(_request: Request, context: { params: Promise<{ token: string }> }): Promise<Response> {
  const { token } = await context.params;
  return downloadExport((await getDatabase()).db, createFileStorage(), token);
}
