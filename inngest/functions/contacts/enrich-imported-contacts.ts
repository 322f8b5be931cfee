import { getDatabase } from "@/db";
import { listInsertedContactIds } from "@/db/queries/imports";
import { inngest } from "@/inngest/client";
import { contactImportCompleted } from "@/inngest/events";
import { enrichContactBatch } from "@/lib/contacts/enrich-contact-batch";
import { createEnrichmentProvider } from "@/lib/providers/enrichment/create-enrichment-provider";

/**
 * Contacts per step: 25 provider calls of 100. A page is read from the database by keyset (never
 * carried in events or step output), so a million contacts are 400 steps of a few ids each.
 */
export const ENRICH_IMPORTED_PAGE_SIZE = 2_500;

/**
 * Fills company and domain for the contacts an import inserted, a page per step, once the import
 * has finished (one import/contacts.completed event, not one event per contact). A retried step
 * enriches its page again, which only rewrites the same facts. One run per workspace at a time,
 * so a big import does not make two runs race for the provider.
 */
export const enrichImportedContacts = inngest.createFunction(
  {
    id: "enrich-imported-contacts",
    triggers: [contactImportCompleted],
    concurrency: [{ key: "event.data.workspaceId", limit: 1 }],
    retries: 5,
  },
  async ({ event, step }) => {
    const { workspaceId, importId } = event.data;
    const totals = { pages: 0, enriched: 0, failed: 0, filled: 0 };
    if (event.data.inserted === 0) return { workspaceId, importId, ...totals };
    let afterContactId: string | null = null;
    for (let n = 0; ; n++) {
      const page: { lastContactId: string | null; enriched: number; failed: number; filled: number } = await step.run(`enrich-page-${n}`, async () => {
        const { db } = await getDatabase();
        const contactIds = await listInsertedContactIds(db, { workspaceId, importId, afterContactId, limit: ENRICH_IMPORTED_PAGE_SIZE });
        if (contactIds.length === 0) return { lastContactId: null, enriched: 0, failed: 0, filled: 0 };
        const { enriched, failed, filled } = await enrichContactBatch(db, createEnrichmentProvider(), { workspaceId, contactIds });
        // A short page is the last: no step spent finding an empty one.
        return { lastContactId: contactIds.length < ENRICH_IMPORTED_PAGE_SIZE ? null : contactIds.at(-1)!, enriched, failed, filled };
      });
      totals.pages++;
      totals.enriched += page.enriched;
      totals.failed += page.failed;
      totals.filled += page.filled;
      if (page.lastContactId === null) break;
      afterContactId = page.lastContactId;
    }
    return { workspaceId, importId, ...totals };
  },
);
