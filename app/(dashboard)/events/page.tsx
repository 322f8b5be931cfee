import type { Metadata } from "next";
import { z } from "zod";
import { listContactEvents } from "@/db/queries/contact-events";
import { CONTACT_EVENT_NAME, decodeEventCursor, encodeEventCursor } from "@/core/events/contact-event-names";
import { NoWorkspace, PageHeader, Pagination } from "../_components/ui";
import { href, param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";
import { EventsTable } from "./events-table";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Events" };

const PAGE_SIZE = 50;

export default async function EventsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) {
    return (
      <>
        <PageHeader title="Events" />
        <NoWorkspace />
      </>
    );
  }
  // A filter that cannot match anything valid is no filter, shown as typed so it can be corrected.
  const nameInput = param(query, "name")?.trim().slice(0, 100) ?? "";
  const contactInput = param(query, "contactId")?.trim().slice(0, 100) ?? "";
  const name = CONTACT_EVENT_NAME.test(nameInput) ? nameInput : undefined;
  const contactId = z.uuid().safeParse(contactInput).success ? contactInput : undefined;
  const cursor = param(query, "cursor");
  const beforeSeq = cursor ? (decodeEventCursor(cursor) ?? undefined) : undefined;
  const rows = await listContactEvents(db, { workspaceId: workspace.id, name, contactId, beforeSeq, limit: PAGE_SIZE + 1 });
  const items = rows.slice(0, PAGE_SIZE);
  const next = rows.length > PAGE_SIZE ? encodeEventCursor(items.at(-1)!.id) : null;
  const filters = { name, contactId };
  return (
    <>
      <PageHeader
        title="Events"
        subtitle="Custom events your systems post to POST /api/v1/events (a purchase, an abandoned cart, a sign-up), newest first. Journeys start, wait for and exit on them."
      />
      <form className="filters" method="get">
        <label>
          Name
          <input type="search" name="name" defaultValue={nameInput} maxLength={100} placeholder="purchase" />
        </label>
        <label>
          Contact id
          <input type="search" name="contactId" defaultValue={contactInput} maxLength={100} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <EventsTable events={items} emptyText={name || contactId ? "No events match these filters." : "No events yet: post one to POST /api/v1/events."} />
      <Pagination isFirst={!beforeSeq} firstHref={href("/events", filters)} nextHref={next ? href("/events", { ...filters, cursor: next }) : null} />
    </>
  );
}
