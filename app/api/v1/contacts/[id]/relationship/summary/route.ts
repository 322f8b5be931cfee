import { NextResponse } from "next/server";
import { z } from "zod";
import { createRecommendationModel } from "@/lib/ai/create-recommendation-model";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { relationshipView } from "@/lib/mailbox/relationship-view";
import { summariseRelationship } from "@/lib/mailbox/summarise-relationship";

type Params = { id: string };

/** Asks for the summary there and then (lib/mailbox/summarise-relationship.ts), audited as the API key's. */
export const POST = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Contact");
  const result = await summariseRelationship(db, {
    workspaceId: principal.workspaceId,
    contactId: params.id,
    model: createRecommendationModel(),
    actor: `api_key:${principal.apiKeyId}`,
  });
  if (result.ok) return NextResponse.json({ cached: result.cached, relationship: relationshipView(result.relationship) });
  if (result.status === 404) return notFound(result.what);
  if (result.status === 409) return apiError(409, "no_mailbox_history", result.message);
  const response = apiError(429, "rate_limited", result.message);
  response.headers.set("retry-after", String(result.retryAfterSeconds));
  return response;
});
