import { NextResponse } from "next/server";
import { z } from "zod";
import { getContact, updateContact } from "@/db/queries/contacts";
import { startContactErasure } from "@/app/_lib/erasures";
import { erasureView } from "@/lib/lifecycle/erasure-view";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute, readJson } from "@/lib/api/route";
import { contactConflictError } from "@/lib/contacts/contact-conflict-error";
import { contactPatchInput } from "@/core/contacts/contact-input";
import { contactView } from "@/lib/contacts/contact-view";
import { workspaceRegion } from "@/lib/contacts/workspace-region";
import { recordApiAction } from "@/lib/api/record-api-action";

type Params = { id: string };

// A malformed id is simply not found: no hint about what ids look like elsewhere.
const isId = (id: string) => z.uuid().safeParse(id).success;

export const GET = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!isId(params.id)) return notFound("Contact");
  const contact = await getContact(db, { workspaceId: principal.workspaceId, contactId: params.id });
  return contact ? NextResponse.json(contactView(contact)) : notFound("Contact");
});

export const PATCH = apiRoute<Params>(async ({ db, principal, params, request }) => {
  if (!isId(params.id)) return notFound("Contact");
  const defaultRegion = await workspaceRegion(db, principal.workspaceId);
  const body = await readJson(request, contactPatchInput({ defaultRegion }));
  if (!body.ok) return body.response;
  const result = await updateContact(db, { workspaceId: principal.workspaceId, contactId: params.id, changes: body.data });
  if (!result) return notFound("Contact");
  if (!result.ok) return contactConflictError(result);
  return NextResponse.json(contactView(result.contact));
});

/**
 * Starts the contact's erasure (202 with it): hidden at once, erased after the recovery window
 * unless restored. A second request answers the open erasure. Already hidden contacts are still
 * found here, so the answer is their erasure, not a 404.
 */
export const DELETE = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!isId(params.id)) return notFound("Contact");
  const started = await startContactErasure(db, { workspaceId: principal.workspaceId, contactId: params.id, requestedBy: `api_key:${principal.apiKeyId}` });
  if (!started) return notFound("Contact");
  if (started.created) {
    await recordApiAction(db, principal, { action: "contact.erasure_requested", targetType: "contact", targetId: params.id, details: { erasureId: started.erasure.id } });
  }
  if (!started.queued) return apiError(503, "queue_unavailable", "The erasure is recorded but could not be queued; retry the same request");
  return NextResponse.json(erasureView(started.erasure), { status: 202 });
});
