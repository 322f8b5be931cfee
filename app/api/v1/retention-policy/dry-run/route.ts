import { NextResponse } from "next/server";
import { retentionApi } from "@/lib/api/contracts/retention";
import { readBodyText } from "@/lib/api/read-body";
import { apiError } from "@/lib/api/responses";
import { apiRoute, parseRequest, payloadTooLarge } from "@/lib/api/route";
import { dryRunRetention, storedDraft } from "@/lib/lifecycle/retention-policy";

/** An empty body dry-runs the stored policy; a rule in the body replaces the stored one's. */
export const POST = apiRoute(async ({ db, principal, request }) => {
  const text = await readBodyText(request);
  if (!text.ok) return payloadTooLarge(text.limitBytes);
  let input: unknown = {};
  if (text.text.trim() !== "") {
    try {
      input = JSON.parse(text.text);
    } catch {
      return apiError(400, "invalid_json", "The request body is not valid JSON");
    }
  }
  const body = parseRequest(retentionApi.dryRun.body, input);
  if (!body.ok) return body.response;
  const stored = await storedDraft(db, principal.workspaceId);
  const draft = { ...stored, ...Object.fromEntries(Object.entries(body.data).filter(([, value]) => value !== undefined)) };
  return NextResponse.json(await dryRunRetention(db, { workspaceId: principal.workspaceId, draft, now: new Date() }));
});
