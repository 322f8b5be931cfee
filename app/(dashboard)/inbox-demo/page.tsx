import type { Metadata } from "next";
import { listContacts } from "@/db/queries/contacts";
import { inboxSecretOf } from "@/lib/inbox/inbox-secret";
import { mintInboxToken } from "@/lib/inbox/inbox-token";
import { SendlineInbox } from "@/lib/inbox/react/sendline-inbox";
import { Empty, NoWorkspace, PageHeader } from "../_components/ui";
import { param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";
import { SendTestForm } from "./send-test-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Inbox demo" };

/** Enough to pick from; a contact further down is reached with `?contact=<id>`. */
const CONTACTS_SHOWN = 50;

/**
 * The embeddable inbox (lib/inbox/react/sendline-inbox.tsx) running live for one contact, as a
 * customer's app would run it: the server mints the contact's token with the workspace's
 * inbox secret (what the customer's backend does) and the component talks to the public feed API.
 */
export default async function InboxDemoPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) {
    return (
      <>
        <PageHeader title="Inbox demo" />
        <NoWorkspace />
      </>
    );
  }
  const contacts = await listContacts(db, { workspaceId: workspace.id, limit: CONTACTS_SHOWN });
  const requested = param(query, "contact");
  const contact = contacts.find((candidate) => candidate.id === requested) ?? contacts[0];
  const subtitle = "The embeddable in-app inbox, live for one contact: send it a notification and watch it arrive.";
  if (!contact) {
    return (
      <>
        <PageHeader title="Inbox demo" subtitle={subtitle} />
        <Empty>No contacts yet: add one (POST /api/v1/contacts or an import) to give it an inbox.</Empty>
      </>
    );
  }
  const { secret } = await inboxSecretOf(db, workspace.id);
  const token = mintInboxToken(secret, contact.id);

  return (
    <>
      <PageHeader title="Inbox demo" subtitle={subtitle} />
      <form className="filters" method="get">
        <input type="hidden" name="workspace" value={workspace.id} />
        <label>
          Contact
          <select name="contact" defaultValue={contact.id}>
            {contacts.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.email ?? candidate.phone ?? candidate.id}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Show inbox</button>
      </form>
      <div className="cards">
        <section className="card" aria-label="Send a test notification">
          <h2>Send a test in-app notification</h2>
          <SendTestForm workspaceId={workspace.id} contactId={contact.id} />
          <p className="muted">
            Queued like <code>POST /api/v1/notifications</code> with <code>channel: &quot;in_app&quot;</code>; the inbox shows it as soon as it is delivered.
          </p>
        </section>
        <section className="card" aria-label="Inbox of the contact">
          <h2>{contact.email ?? contact.id}</h2>
          <SendlineInbox baseUrl="" workspaceId={workspace.id} contactId={contact.id} token={token} defaultOpen />
        </section>
      </div>
    </>
  );
}
