import { getDatabase } from "@/db";
import { listCampaignsDueForArchive, listStalledArchives } from "@/db/queries/campaign-archives";
import { archiveRequestedEvent } from "@/inngest/archive-events";
import { inngest } from "@/inngest/client";
import { archiveAfterDays } from "@/lib/archives/archive-settings";
import { requestArchive } from "@/lib/archives/request-archive";
import { logger } from "@/lib/observability/logger";

/** Campaigns one nightly plan takes; a backlog is worked through over the following nights, oldest first. */
export const ARCHIVES_PER_PLAN = 200;
/** An archive still `archiving` this long after it was asked for lost its event (a crash between claim and send): it is asked for again. */
export const STALLED_ARCHIVE_HOURS = 24;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Every night, records an archive for each finished or cancelled campaign that ended more than
 * ARCHIVE_CAMPAIGNS_AFTER_DAYS ago (off while unset) and asks archive-campaign to move it. The
 * claims are made in one step and the events sent in the next; an archive whose event never went
 * out is found the next night and sent again (archive-campaign skips one that already finished).
 */
export const planArchives = inngest.createFunction(
  { id: "plan-archives", triggers: [{ cron: "TZ=UTC 30 2 * * *" }], concurrency: [{ limit: 1 }], retries: 3 },
  async ({ step }) => {
    const days = archiveAfterDays();
    if (days === undefined) return { skipped: "ARCHIVE_CAMPAIGNS_AFTER_DAYS is not set" };
    const requests = await step.run("claim-due-campaigns", async () => {
      const db = (await getDatabase()).db;
      const now = new Date();
      const claimed: { workspaceId: string; archiveId: string; requestedAt: string }[] = [];
      for (const due of await listCampaignsDueForArchive(db, { endedBefore: new Date(now.getTime() - days * DAY_MS), limit: ARCHIVES_PER_PLAN })) {
        const outcome = await requestArchive(db, { ...due, requestedBy: "schedule", now });
        if (outcome.ok) claimed.push({ workspaceId: outcome.event.workspaceId, archiveId: outcome.event.archiveId, requestedAt: outcome.event.requestedAt.toISOString() });
      }
      const stalled = await listStalledArchives(db, { requestedBefore: new Date(now.getTime() - STALLED_ARCHIVE_HOURS * 60 * 60 * 1000), limit: ARCHIVES_PER_PLAN });
      for (const archive of stalled) claimed.push({ workspaceId: archive.workspaceId, archiveId: archive.id, requestedAt: archive.requestedAt.toISOString() });
      logger.info({ due: claimed.length - stalled.length, stalled: stalled.length, afterDays: days }, "archives: nightly plan");
      return claimed;
    });
    if (requests.length > 0) {
      await step.sendEvent("request-archives", requests.map((request) => archiveRequestedEvent({ ...request, requestedAt: new Date(request.requestedAt) })));
    }
    return { requested: requests.length };
  },
);
