import { NextResponse } from "next/server";
import { listContacts, upsertContactByEmail } from "@/db/queries/contacts";
import { getList } from "@/db/queries/lists";
import { inngest } from "@/inngest/client";
import { contactCreated } from "@/inngest/events";
import { page } from "@/core/pagination/cursor";
import { notFound } from "@/lib/api/responses";
import { apiRoute, readJson, readQuery } from "@/lib/api/route";
import { contactConflictError } from "@/lib/contacts/contact-conflict-error";
import { contactsApi } from "@/lib/api/contracts/contacts";
import { contactUpsertInput } from "@/core/contacts/contact-input";
import { contactView } from "@/lib/contacts/contact-view";
import { workspaceRegion } from "@/lib/contacts/workspace-region";
import { logger } from "@/lib/observability/logger";

/** Upsert by email: 201 when created, 200 when an existing contact was updated. */
export const POST = apiRoute(async ({ db, principal, request }) => {
  const defaultRegion = await workspaceRegion(db, principal.workspaceId);
  const body = await readJson(request, contactUpsertInput({ defaultRegion }));
  if (!body.ok) return body.response;
  const result = await upsertContactByEmail(db, { workspaceId: principal.workspaceId, changes: body.data });
  if (!result.ok) return contactConflictError(result);
  if (result.created) {
    // Enrichment is a follow-up, not part of the write: the contact is saved either way, so a
    // queue outage is logged rather than turned into an error. The id makes resends no-ops.
    const contactId = result.contact.id;
    await inngest
      .send(contactCreated.create({ workspaceId: principal.workspaceId, contactId }, { id: `contact-created-${contactId}` }))
      .catch((error: unknown) => logger.error({ err: error, workspaceId: principal.workspaceId, contactId }, "contacts: could not send contact/created"));
  }
  return NextResponse.json(contactView(result.contact), { status: result.created ? 201 : 200 });
});

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, contactsApi.list.query);
  if (!query.ok) return query.response;
  const { limit, cursor, ...filters } = query.data;
  if (filters.listId && !(await getList(db, { workspaceId: principal.workspaceId, listId: filters.listId }))) return notFound("List");
  const rows = await listContacts(db, { workspaceId: principal.workspaceId, ...filters, limit: limit + 1, after: cursor });
  const { items, nextCursor } = page(rows, limit, (row) => ({ at: row.createdAt, id: row.id }));
  return NextResponse.json({ data: items.map(contactView), nextCursor });
});
