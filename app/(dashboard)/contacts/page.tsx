import type { Metadata } from "next";
import Link from "next/link";
import { listContacts } from "@/db/queries/contacts";
import { listListOptions } from "@/db/queries/lists";
import { subscriptionStatus } from "@/db/schema";
import { page } from "@/core/pagination/cursor";
import { Empty, FilterSelect, NoWorkspace, PageHeader, Pagination, StatusBadge, Time } from "../_components/ui";
import { contactName, contactsFilterParams, parseContactsQuery } from "../_lib/contacts-query";
import { href, param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Contacts" };

const PAGE_SIZE = 50;
/** Lists offered in the filter; a list beyond these is still reachable from the Lists page. */
const LIST_OPTIONS = 500;

export default async function ContactsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) {
    return (
      <>
        <PageHeader title="Contacts" />
        <NoWorkspace />
      </>
    );
  }

  const filters = parseContactsQuery(query);
  const listOptions = await listListOptions(db, { workspaceId: workspace.id, limit: LIST_OPTIONS });
  // A list id from another workspace matches nothing: listContacts filters memberships by workspace too.
  const rows = filters.emailError
    ? []
    : await listContacts(db, {
        workspaceId: workspace.id,
        email: filters.email,
        status: filters.status,
        listId: filters.listId,
        limit: PAGE_SIZE + 1,
        after: filters.after,
      });
  const { items, nextCursor } = page(rows, PAGE_SIZE, (row) => ({ at: row.createdAt, id: row.id }));
  const linkParams = contactsFilterParams(filters);
  const filtered = Boolean(filters.emailInput || filters.status || filters.listId);
  const currentList = listOptions.find((list) => list.id === filters.listId);

  return (
    <>
      <PageHeader
        title="Contacts"
        subtitle={currentList ? <>Members of the list {currentList.name}, newest first.</> : "Newest first."}
      >
        <Link href="/imports">Import contacts →</Link>
      </PageHeader>
      <form className="filters" method="get">
        <label>
          Email
          <input
            name="email"
            type="search"
            defaultValue={filters.emailInput ?? ""}
            placeholder="ada@example.com"
            aria-invalid={Boolean(filters.emailError)}
          />
        </label>
        <FilterSelect label="Status" name="status" value={filters.status} options={subscriptionStatus.enumValues} />
        <FilterSelect label="List" name="listId" value={filters.listId} options={listOptions.map((list) => [list.id, list.name] as const)} />
        <button type="submit">Filter</button>
        {filtered ? <Link href="/contacts">Clear</Link> : null}
      </form>
      {filters.emailError ? (
        <div className="alert" role="alert">
          <strong>email:</strong> {filters.emailError}
        </div>
      ) : items.length === 0 ? (
        <Empty>No contacts{filtered ? " match these filters" : " yet: import a file or use the API"}.</Empty>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Phone</th>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {items.map((contact) => (
              <tr key={contact.id}>
                <td className="mono truncate">
                  <Link href={`/contacts/${contact.id}`}>{contact.email ?? <span className="muted">(no email)</span>}</Link>
                </td>
                <td className="mono nowrap">{contact.phone ?? <span className="muted">—</span>}</td>
                <td className="truncate">{contactName(contact) ?? <span className="muted">—</span>}</td>
                <td>
                  <StatusBadge status={contact.status} />
                </td>
                <td className="nowrap">
                  <Time at={contact.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination
        isFirst={!filters.after}
        firstHref={href("/contacts", linkParams)}
        nextHref={nextCursor ? href("/contacts", { ...linkParams, cursor: nextCursor }) : null}
      />
    </>
  );
}
