import { pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { contacts } from "./contacts";
import { workspaces } from "./workspaces";

/**
 * A contact's standing on WhatsApp: the opt-in Meta requires before a business may message
 * someone (with where and when it was given, and its withdrawal), and the last message the
 * contact sent us, which opens the 24-hour customer-service window for free-text (session)
 * messages. One row per contact, made on first need; erased with the contact.
 */
export const whatsappContacts = pgTable(
  "whatsapp_contacts",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    /** Set while the contact is opted in; cleared by a withdrawal. */
    optedInAt: timestamp("opted_in_at", { withTimezone: true, precision: 3 }),
    /** Where the opt-in was given, in the caller's words ("checkout form", "api", …). */
    optInSource: text("opt_in_source"),
    optedOutAt: timestamp("opted_out_at", { withTimezone: true, precision: 3 }),
    optOutSource: text("opt_out_source"),
    /** The contact's latest inbound WhatsApp message: session messages may follow for 24 hours. */
    lastInboundAt: timestamp("last_inbound_at", { withTimezone: true, precision: 3 }),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.contactId] })],
);
