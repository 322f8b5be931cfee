import { z } from "zod";
import { deletePushSubscription } from "@/db/queries/push-subscriptions";
import { recordApiAction } from "@/lib/api/record-api-action";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";

type Params = { id: string; subscriptionId: string };

const isId = (id: string) => z.uuid().safeParse(id).success;

export const DELETE = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!isId(params.id) || !isId(params.subscriptionId)) return notFound("Push subscription");
  const removed = await deletePushSubscription(db, { workspaceId: principal.workspaceId, contactId: params.id, subscriptionId: params.subscriptionId });
  if (!removed) return notFound("Push subscription");
  await recordApiAction(db, principal, { action: "push_subscription.deleted", targetType: "contact", targetId: params.id, details: { subscriptionId: params.subscriptionId } });
  return new Response(null, { status: 204 });
});
