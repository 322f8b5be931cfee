import { NextResponse } from "next/server";
import { z } from "zod";
import { getContact } from "@/db/queries/contacts";
import { preferencesApi } from "@/lib/api/contracts/preferences";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute, readJson } from "@/lib/api/route";
import { changePreferences } from "@/lib/preferences/change-preferences";
import { preferenceMatrix } from "@/lib/preferences/preference-matrix";

type Params = { id: string };

const isId = (id: string) => z.uuid().safeParse(id).success;

export const GET = apiRoute<Params>(async ({ db, principal, params }) => {
  const contact = isId(params.id) ? await getContact(db, { workspaceId: principal.workspaceId, contactId: params.id }) : undefined;
  if (!contact) return notFound("Contact");
  return NextResponse.json({ contactId: contact.id, ...(await preferenceMatrix(db, { workspaceId: principal.workspaceId, contactId: contact.id })) });
});

export const PATCH = apiRoute<Params>(async ({ db, principal, params, request }) => {
  if (!isId(params.id)) return notFound("Contact");
  const body = await readJson(request, preferencesApi.update.body);
  if (!body.ok) return body.response;
  const contact = await getContact(db, { workspaceId: principal.workspaceId, contactId: params.id });
  if (!contact) return notFound("Contact");
  const ids = { workspaceId: principal.workspaceId, contactId: contact.id };
  const outcome = await changePreferences(db, { ...ids, changes: body.data.preferences, source: "api" });
  if (!outcome.ok) return apiError(400, "invalid_request", "The request has invalid fields", outcome.fields);
  await recordApiAction(db, principal, { action: "contact.preferences_changed", targetType: "contact", targetId: contact.id, details: { preferences: body.data.preferences } });
  return NextResponse.json({ contactId: contact.id, ...(await preferenceMatrix(db, ids)) });
});
