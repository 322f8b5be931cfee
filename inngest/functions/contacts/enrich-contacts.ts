import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { contactCreated } from "@/inngest/events";
import { ENRICH_CALLS_PER_SECOND, enrichContactBatch } from "@/lib/contacts/enrich-contact-batch";
import { createEnrichmentProvider } from "@/lib/providers/enrichment/create-enrichment-provider";

/** Contacts per run: 100 events per batch keeps one provider call and one write per run. */
export const ENRICH_BATCH_SIZE = 100;

/**
 * Fills company and domain for contacts created through the API, a batch of `contact/created`
 * events per run (imports go through enrich-imported-contacts instead). The batch key makes
 * every event of a run name the same workspace; events naming another one (a bug upstream, or a
 * forged event) are ignored.
 */
export const enrichContacts = inngest.createFunction(
  {
    id: "enrich-contacts",
    triggers: [contactCreated],
    batchEvents: { maxSize: ENRICH_BATCH_SIZE, timeout: "5s", key: "event.data.workspaceId" },
    // Starts no faster than the provider takes calls; each call still waits its turn in the
    // database (enrichContactBatch), which imports share.
    throttle: { limit: ENRICH_CALLS_PER_SECOND, period: "1s" },
    retries: 5,
  },
  async ({ events, step }) => {
    const workspaceId = events[0]!.data.workspaceId;
    const contactIds = [...new Set(events.filter((event) => event.data.workspaceId === workspaceId).map((event) => event.data.contactId))];

    return step.run("enrich-batch", async () => {
      const { requested, ...summary } = await enrichContactBatch((await getDatabase()).db, createEnrichmentProvider(), { workspaceId, contactIds });
      // Ignored: events naming another workspace, repeats, and contacts the database does not confirm.
      return { workspaceId, events: events.length, ...summary, ignored: events.length - requested + summary.ignored };
    });
  },
);
