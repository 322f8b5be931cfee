import { NextResponse } from "next/server";
import { z } from "zod";
import { getContact } from "@/db/queries/contacts";
import { findWhatsAppContact, recordWhatsAppOptIn, withdrawWhatsAppOptIn } from "@/db/queries/whatsapp-contacts";
import { whatsappApi } from "@/lib/api/contracts/whatsapp";
import { recordApiAction } from "@/lib/api/record-api-action";
import { notFound } from "@/lib/api/responses";
import { apiRoute, readJson, readQuery } from "@/lib/api/route";
import { whatsappOptInView } from "@/lib/whatsapp/whatsapp-opt-in-view";

type Params = { id: string };

// A malformed id is simply not found, like an unknown one or another workspace's.
const isId = (id: string) => z.uuid().safeParse(id).success;

async function contactExists(db: Parameters<typeof getContact>[0], workspaceId: string, id: string): Promise<boolean> {
  return isId(id) && Boolean(await getContact(db, { workspaceId, contactId: id }));
}

export const GET = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!(await contactExists(db, principal.workspaceId, params.id))) return notFound("Contact");
  const row = await findWhatsAppContact(db, { workspaceId: principal.workspaceId, contactId: params.id });
  return NextResponse.json(whatsappOptInView(params.id, row));
});

export const POST = apiRoute<Params>(async ({ db, principal, params, request }) => {
  const body = await readJson(request, whatsappApi.recordOptIn.body);
  if (!body.ok) return body.response;
  if (!(await contactExists(db, principal.workspaceId, params.id))) return notFound("Contact");
  const at = body.data.at ? new Date(body.data.at) : new Date();
  const row = await recordWhatsAppOptIn(db, { workspaceId: principal.workspaceId, contactId: params.id, source: body.data.source, at });
  await recordApiAction(db, principal, { action: "whatsapp.opted_in", targetType: "contact", targetId: params.id, details: { source: body.data.source, at: at.toISOString() } });
  return NextResponse.json(whatsappOptInView(params.id, row));
});

export const DELETE = apiRoute<Params>(async ({ db, principal, params, request }) => {
  const query = readQuery(request, whatsappApi.withdrawOptIn.query);
  if (!query.ok) return query.response;
  if (!(await contactExists(db, principal.workspaceId, params.id))) return notFound("Contact");
  const row = await withdrawWhatsAppOptIn(db, { workspaceId: principal.workspaceId, contactId: params.id, source: query.data.source, at: new Date() });
  await recordApiAction(db, principal, { action: "whatsapp.opted_out", targetType: "contact", targetId: params.id, details: { source: query.data.source } });
  return NextResponse.json(whatsappOptInView(params.id, row));
});
