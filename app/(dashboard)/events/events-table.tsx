import Link from "next/link";
import type { ContactEvent } from "@/db/queries/contact-events";
import { Time } from "../_components/ui";
import { href } from "../_lib/search-params";

/** Properties as one line of JSON, cut short: the API returns them whole. */
const PROPERTIES_SHOWN_CHARS = 160;

function propertiesText(properties: Record<string, unknown>): string {
  const text = JSON.stringify(properties);
  return text.length > PROPERTIES_SHOWN_CHARS ? `${text.slice(0, PROPERTIES_SHOWN_CHARS)}…` : text;
}

/** Custom events (POST /api/v1/events), newest first; the contact column is left out on a contact's own page. */
export function EventsTable({ events, showContact = true, emptyText }: { events: (ContactEvent & { contactEmail?: string | null })[]; showContact?: boolean; emptyText: string }) {
  if (events.length === 0) return <p className="muted">{emptyText}</p>;
  return (
    <table className="data" aria-label="Events">
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">Id</th>
          {showContact ? <th scope="col">Contact</th> : null}
          <th scope="col">Properties</th>
          <th scope="col">Occurred</th>
          <th scope="col">Received</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={event.id}>
            <td>
              <Link href={href("/events", { name: event.name })} className="mono">
                {event.name}
              </Link>
            </td>
            <td>
              <code>{event.eventId}</code>
            </td>
            {showContact ? (
              <td>
                <Link href={`/contacts/${event.contactId}`}>{event.contactEmail ?? <code>{event.contactId}</code>}</Link>
              </td>
            ) : null}
            <td>
              <code>{propertiesText(event.properties)}</code>
            </td>
            <td>
              <Time at={event.occurredAt} />
            </td>
            <td>
              <Time at={event.receivedAt} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
