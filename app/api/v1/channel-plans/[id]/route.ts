import { NextResponse } from "next/server";
import { z } from "zod";
import { getChannelPlan } from "@/db/queries/channel-plans";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { channelPlanView } from "@/lib/delivery/delivery-views";

export const GET = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Channel plan");
  const plan = await getChannelPlan(db, { workspaceId: principal.workspaceId, planId: params.id });
  return plan ? NextResponse.json(channelPlanView(plan)) : notFound("Channel plan");
});
