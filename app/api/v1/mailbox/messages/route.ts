import { NextResponse } from "next/server";
import { getContact } from "@/db/queries/contacts";
import { listMailboxMessages } from "@/db/queries/mailbox-messages";
import { page } from "@/core/pagination/cursor";
import { mailboxApi } from "@/lib/api/contracts/mailbox";
import { notFound } from "@/lib/api/responses";
import { apiRoute, readQuery } from "@/lib/api/route";
import { mailboxMessageView } from "@/lib/mailbox/mailbox-views";

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, mailboxApi.listMessages.query);
  if (!query.ok) return query.response;
  const { limit, cursor, connectionId, contactId } = query.data;
  let address: string | undefined;
  if (contactId) {
    const contact = await getContact(db, { workspaceId: principal.workspaceId, contactId });
    if (!contact) return notFound("Contact");
    // A contact without an email has exchanged no mail.
    if (!contact.email) return NextResponse.json({ data: [], nextCursor: null });
    address = contact.email;
  }
  const rows = await listMailboxMessages(db, { workspaceId: principal.workspaceId, connectionId, address, limit: limit + 1, after: cursor });
  const { items, nextCursor } = page(rows, limit, (row) => ({ at: row.createdAt, id: row.id }));
  return NextResponse.json({ data: items.map(mailboxMessageView), nextCursor });
});
