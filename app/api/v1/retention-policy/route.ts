import { NextResponse } from "next/server";
import { getRetentionPolicy } from "@/db/queries/retention-policies";
import { retentionApi } from "@/lib/api/contracts/retention";
import { apiRoute, readJson } from "@/lib/api/route";
import { retentionPolicyView, updateRetentionPolicy } from "@/lib/lifecycle/retention-policy";

export const GET = apiRoute(async ({ db, principal }) => NextResponse.json(retentionPolicyView(await getRetentionPolicy(db, { workspaceId: principal.workspaceId }))));

export const PUT = apiRoute(async ({ db, principal, request }) => {
  const body = await readJson(request, retentionApi.putPolicy.body);
  if (!body.ok) return body.response;
  const outcome = await updateRetentionPolicy(db, { workspaceId: principal.workspaceId, actor: `api_key:${principal.apiKeyId}`, input: body.data, now: new Date() });
  if (!outcome.ok) {
    const { wouldAnonymise, live, share } = outcome.report.contacts;
    const message = `The policy would anonymise ${wouldAnonymise} of ${live} contacts (${(share * 100).toFixed(1)} %), more than the confirmation share of ${(outcome.report.confirmShare * 100).toFixed(1)} %: send it again with "confirm": true`;
    return NextResponse.json({ error: { code: "confirmation_required", message }, report: outcome.report }, { status: 409 });
  }
  return NextResponse.json(outcome.policy);
});
