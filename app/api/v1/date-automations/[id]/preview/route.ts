import { NextResponse } from "next/server";
import { z } from "zod";
import { getDateAutomation } from "@/db/queries/date-automations";
import { dateAutomationsApi } from "@/lib/api/contracts/date-automations";
import { notFound } from "@/lib/api/responses";
import { apiRoute, readQuery } from "@/lib/api/route";
import { previewDateAutomation } from "@/lib/automations/date-automations";

type Params = { id: string };

export const GET = apiRoute<Params>(async ({ db, principal, params, request }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Automation");
  const query = readQuery(request, dateAutomationsApi.preview.query);
  if (!query.ok) return query.response;
  const automation = await getDateAutomation(db, { workspaceId: principal.workspaceId, automationId: params.id });
  if (!automation) return notFound("Automation");
  return NextResponse.json(await previewDateAutomation(db, { automation, day: query.data.day, sample: query.data.sample, now: new Date() }));
});
