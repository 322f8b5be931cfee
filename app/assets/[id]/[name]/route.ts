import { getDatabase } from "@/db";
import { serveEmailAsset } from "@/lib/assets/serve-email-asset";
import { createFileStorage } from "@/lib/storage/create-file-storage";

/**
 * An image shown in sent email (issue 17), outside the dashboard's login: recipients' mail
 * clients load it with no credentials, and its random id is the whole access.
 */
export async function GET(request: Request, context: { params: Promise<{ id: string; name: string }> }): Promise<Response> {
  const { id } = await context.params;
  return serveEmailAsset((await getDatabase()).db, createFileStorage(), { assetId: id, ifNoneMatch: request.headers.get("if-none-match") });
}
