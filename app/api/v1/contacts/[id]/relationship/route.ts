import { NextResponse } from "next/server";
import { z } from "zod";
import { getContact } from "@/db/queries/contacts";
import { getContactRelationship } from "@/db/queries/contact-relationships";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { NO_MAILBOX_HISTORY } from "@/lib/mailbox/relationship-basis";
import { relationshipView } from "@/lib/mailbox/relationship-view";

type Params = { id: string };

export const GET = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Contact");
  const ids = { workspaceId: principal.workspaceId, contactId: params.id };
  const contact = await getContact(db, ids);
  if (!contact) return notFound("Contact");
  const relationship = await getContactRelationship(db, ids);
  return relationship ? NextResponse.json(relationshipView(relationship)) : apiError(404, "not_found", NO_MAILBOX_HISTORY);
});
