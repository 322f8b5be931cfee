import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { getContactEnrichment } from "@/db/queries/contact-enrichments";
import { getContact } from "@/db/queries/contacts";
import { birthdayText } from "@/core/contacts/birthday-columns";
import { listContactMemberships } from "@/db/queries/list-members";
import { listContactMessages } from "@/db/queries/messages";
import { listPushSubscriptions } from "@/db/queries/push-subscriptions";
import { findWhatsAppContact } from "@/db/queries/whatsapp-contacts";
import { whatsappOptInView } from "@/lib/whatsapp/whatsapp-opt-in-view";
import { MessagesTable } from "../../_components/messages-table";
import { PreferenceMatrixTable } from "../../_components/preference-matrix-table";
import { reachableChannels } from "@/lib/preferences/preference-center";
import { preferenceMatrix } from "@/lib/preferences/preference-matrix";
import { Fields, NoWorkspace, PageHeader, StatusBadge, Time } from "../../_components/ui";
import { attributeText, contactName } from "../../_lib/contacts-query";
import { href, param, type SearchParams } from "../../_lib/search-params";
import { dashboardContext } from "../../_lib/workspace";
import { ErasureButton } from "../../erasures/erasure-button";
import { listContactEvents } from "@/db/queries/contact-events";
import { listMailboxMessages } from "@/db/queries/mailbox-messages";
import { getContactRelationship } from "@/db/queries/contact-relationships";
import { EventsTable } from "../../events/events-table";
import { RelationshipPanel } from "./relationship-panel";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Contact" };

const RECENT_MESSAGES = 20;
const RECENT_EVENTS = 20;

export default async function ContactPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) return <NoWorkspace />;
  if (!z.uuid().safeParse(id).success) notFound();
  const ids = { workspaceId: workspace.id, contactId: id };
  const contact = await getContact(db, ids);
  if (!contact) notFound();
  const channels = reachableChannels(contact);
  const [enrichment, memberships, messages, preferences, whatsappRow, devices, events, mail, relationship] = await Promise.all([
    getContactEnrichment(db, ids),
    listContactMemberships(db, ids),
    listContactMessages(db, { ...ids, limit: RECENT_MESSAGES }),
    preferenceMatrix(db, { ...ids, channels }),
    findWhatsAppContact(db, ids),
    listPushSubscriptions(db, ids),
    listContactEvents(db, { ...ids, limit: RECENT_EVENTS }),
    contact.email ? listMailboxMessages(db, { workspaceId: workspace.id, address: contact.email, limit: RECENT_MESSAGES }) : Promise.resolve([]),
    getContactRelationship(db, ids),
  ]);
  const whatsapp = whatsappOptInView(contact.id, whatsappRow);
  const name = contactName(contact);
  const attributes = Object.entries(contact.attributes).sort(([a], [b]) => a.localeCompare(b));

  return (
    <>
      <p className="breadcrumbs">
        <Link href="/contacts">Contacts</Link> / <span className="mono">{contact.id}</span>
      </p>
      <PageHeader title={name ?? contact.email ?? contact.phone ?? "Contact"} subtitle={name ? (contact.email ?? contact.phone) : null}>
        <StatusBadge status={contact.status} />
        <ErasureButton
          workspaceId={workspace.id}
          kind="erase"
          target={contact.id}
          label="Erase"
          confirm="Erase this contact? It is hidden everywhere at once and erased for good when the recovery window ends, unless restored from the Erasures page."
        />
      </PageHeader>

      <div className="columns">
        <section>
          <h2>Details</h2>
          <Fields
            rows={[
              ["Email", contact.email ? <span key="e" className="mono">{contact.email}</span> : null],
              ["Phone", contact.phone ? <span key="p" className="mono">{contact.phone}</span> : null],
              ["First name", contact.firstName],
              ["Last name", contact.lastName],
              ["Status", <StatusBadge key="s" status={contact.status} />],
              ["Unsubscribed", contact.unsubscribedAt ? <Time key="u" at={contact.unsubscribedAt} /> : null],
              ["Locale", contact.locale],
              ["Timezone", contact.timezone],
              ["Birthday", birthdayText(contact)],
              ["Created", <Time key="c" at={contact.createdAt} />],
              ["Updated", <Time key="d" at={contact.updatedAt} />],
              ["Id", <code key="i">{contact.id}</code>],
            ]}
          />

          <h2>Attributes</h2>
          {attributes.length ? (
            <table className="headers">
              <tbody>
                {attributes.map(([key, value]) => (
                  <tr key={key}>
                    <th scope="row">{key}</th>
                    <td>
                      <code>{attributeText(value)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">No attributes.</p>
          )}
        </section>

        <section>
          <h2>Enrichment</h2>
          {enrichment ? (
            <Fields
              rows={[
                ["Company", enrichment.company],
                ["Domain", enrichment.domain ? <span key="d" className="mono">{enrichment.domain}</span> : null],
                ["Free mail", enrichment.isFreeMail ? "yes" : "no"],
                ["Provider", enrichment.provider],
                ["Enriched", <Time key="t" at={enrichment.enrichedAt} />],
                ["Error", enrichment.error ? <span key="x" className="error-text">{enrichment.error}</span> : null],
              ]}
            />
          ) : (
            <p className="muted">Not enriched yet.</p>
          )}

          <h2>Lists</h2>
          {memberships.length ? (
            <ul className="plain-list">
              {memberships.map((list) => (
                <li key={list.id}>
                  <Link href={href("/contacts", { listId: list.id })}>{list.name}</Link> <span className="muted">· added</span>{" "}
                  <Time at={list.addedAt} />
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">In no list.</p>
          )}
        </section>
      </div>

      <section>
        <h2>WhatsApp and push</h2>
        <Fields
          rows={[
            [
              "WhatsApp",
              whatsapp.optedIn ? (
                <span key="w">
                  opted in <Time at={new Date(whatsapp.optedInAt!)} /> ({whatsapp.optInSource})
                </span>
              ) : whatsapp.optedOutAt ? (
                <span key="w">
                  opted out <Time at={new Date(whatsapp.optedOutAt)} /> ({whatsapp.optOutSource})
                </span>
              ) : (
                "not opted in: WhatsApp messages to this contact are refused"
              ),
            ],
            [
              "Session window",
              whatsapp.sessionWindowEndsAt ? (
                <span key="s">
                  24 hours after the contact&apos;s last message: until <Time at={new Date(whatsapp.sessionWindowEndsAt)} />
                </span>
              ) : (
                "never opened: only template messages go out"
              ),
            ],
          ]}
        />
        {devices.length ? (
          <table className="data" aria-label="Push devices">
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Kind</th>
                <th scope="col">Registered</th>
                <th scope="col">Last push</th>
              </tr>
            </thead>
            <tbody>
              {devices.map((device) => (
                <tr key={device.id}>
                  <td>{device.label ?? <code>{device.id}</code>}</td>
                  <td>{device.kind === "fcm" ? "Firebase (FCM)" : "Web Push"}</td>
                  <td>
                    <Time at={device.createdAt} />
                  </td>
                  <td>{device.lastSentAt ? <Time at={device.lastSentAt} /> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">No push devices: register one with POST /api/v1/contacts/{contact.id}/push-subscriptions.</p>
        )}
      </section>

      <section>
        <h2>Preferences</h2>
        <PreferenceMatrixTable matrix={preferences} channels={channels} />
      </section>

      <section>
        <h2>Recent messages</h2>
        <MessagesTable messages={messages} showKind />
      </section>

      <section>
        <h2>Mailbox</h2>
        {relationship ? (
          <RelationshipPanel workspaceId={workspace.id} relationship={relationship} />
        ) : mail.length > 0 ? (
          <p className="muted">The relationship is not analysed yet: it is computed when an import ends, and daily.</p>
        ) : null}
        {mail.length === 0 ? (
          <p className="muted">No mailbox messages with this contact: import a mailbox on the Mailbox page.</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Direction</th>
                <th scope="col">Subject</th>
                <th scope="col">Snippet</th>
              </tr>
            </thead>
            <tbody>
              {mail.map((message) => (
                <tr key={message.id}>
                  <td>
                    <Time at={message.sentAt} />
                  </td>
                  <td>{message.direction}</td>
                  <td className="truncate">{message.subject ?? "(no subject)"}</td>
                  <td className="truncate muted">{message.snippet}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section>
        <h2>Recent events</h2>
        <EventsTable events={events} showContact={false} emptyText="No custom events: POST /api/v1/events records them." />
        {events.length === RECENT_EVENTS ? <Link href={href("/events", { contactId: contact.id })}>All of this contact&apos;s events →</Link> : null}
      </section>
    </>
  );
}
