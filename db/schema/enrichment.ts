import { boolean, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { contacts } from "./contacts";
import { workspaces } from "./workspaces";

/**
 * What enrichment learned about a contact, one row per contact, rewritten by each enrichment.
 * Kept apart from contacts.attributes (which the user owns) so the provider's answer stays
 * visible even where the user's own value wins. Deleted with the contact.
 */
export const contactEnrichments = pgTable(
  "contact_enrichments",
  {
    contactId: uuid("contact_id")
      .primaryKey()
      .references(() => contacts.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** Registrable domain of the email address, ASCII (punycode) form: acme.co.uk. */
    domain: text("domain"),
    company: text("company"),
    isFreeMail: boolean("is_free_mail").notNull().default(false),
    /** The EnrichmentProvider that answered: "domain" | "http". */
    provider: text("provider").notNull(),
    enrichedAt: timestamp("enriched_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Why this contact could not be enriched; null on success. */
    error: text("error"),
  },
  (t) => [index("contact_enrichments_workspace_domain_idx").on(t.workspaceId, t.domain)],
);
