import { NextResponse } from "next/server";
import { z } from "zod";
import { getContact } from "@/db/queries/contacts";
import { listPushSubscriptions, MAX_PUSH_SUBSCRIPTIONS_PER_CONTACT } from "@/db/queries/push-subscriptions";
import { pushSubscriptionsApi as api } from "@/lib/api/contracts/push-subscriptions";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute, readJson } from "@/lib/api/route";
import { pushSubscriptionView } from "@/lib/push/push-subscription-view";
import { registerPushSubscription } from "@/lib/push/register-push-subscription";

type Params = { id: string };

const isId = (id: string) => z.uuid().safeParse(id).success;

export const GET = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!isId(params.id) || !(await getContact(db, { workspaceId: principal.workspaceId, contactId: params.id }))) return notFound("Contact");
  const rows = await listPushSubscriptions(db, { workspaceId: principal.workspaceId, contactId: params.id });
  return NextResponse.json({ data: rows.map(pushSubscriptionView) });
});

export const POST = apiRoute<Params>(async ({ db, principal, params, request }) => {
  if (!isId(params.id)) return notFound("Contact");
  // The body first, like the other routes: a bad body is a 400 whichever contact it names.
  const body = await readJson(request, api.register.body);
  if (!body.ok) return body.response;
  if (!(await getContact(db, { workspaceId: principal.workspaceId, contactId: params.id }))) return notFound("Contact");
  const result = await registerPushSubscription(db, { workspaceId: principal.workspaceId, contactId: params.id, input: body.data });
  if (!result.ok) return apiError(409, "too_many_devices", `A contact may have at most ${MAX_PUSH_SUBSCRIPTIONS_PER_CONTACT} push devices; remove one first`);
  if (result.created) {
    await recordApiAction(db, principal, { action: "push_subscription.created", targetType: "contact", targetId: params.id, details: { subscriptionId: result.row.id, type: result.row.kind } });
  }
  return NextResponse.json(pushSubscriptionView(result.row), { status: result.created ? 201 : 200 });
});
