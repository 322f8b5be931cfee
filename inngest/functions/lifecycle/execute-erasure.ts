import { NonRetriableError } from "inngest";
import { getDatabase } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { claimErasure, finishErasure, recordErasureError } from "@/db/queries/erasures";
import { deleteWorkspaceRows, storedFilesOfWorkspace } from "@/db/queries/personal-data";
import { inngest } from "@/inngest/client";
import { erasureDue } from "@/inngest/events";
import { CONTACT_ERASURE_STEPS, DELETE_CONTACTS_STEP, ERASURE_ACTOR, runErasureStep } from "@/lib/lifecycle/contact-erasure-steps";
import { erasuresPerDay } from "@/lib/lifecycle/erasure-settings";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { createFileStorage } from "@/lib/storage/create-file-storage";

/**
 * Executes an erasure whose recovery window has passed. At most ERASURES_PER_DAY per workspace
 * per 24 hours start: `throttle` queues the rest (never drops them) until their turn. Status
 * `erasing` first, then one step per table (lib/lifecycle/contact-erasure-steps.ts), each
 * idempotent and audited, so a crash resumes where it stopped; the counts per table are kept on
 * the erasure. A workspace erasure deletes the workspace's stored files, then the workspace
 * (everything it owns cascades).
 */
export const executeErasure = inngest.createFunction(
  {
    id: "execute-erasure",
    triggers: [erasureDue],
    throttle: { key: "event.data.workspaceId", limit: erasuresPerDay(), period: "24h" },
    retries: 8,
    onFailure: async ({ event, error }) => {
      await recordErasureError((await getDatabase()).db, { erasureId: event.data.event.data.erasureId, error: error.message.slice(0, 500) });
    },
  },
  async ({ event, step }) => {
    const ids = { workspaceId: event.data.workspaceId, erasureId: event.data.erasureId };
    const claimed = await step.run("claim-erasure", async () => {
      const erasure = await claimErasure((await getDatabase()).db, ids);
      return erasure ? { subject: erasure.subject, contactId: erasure.contactId } : null;
    });
    if (!claimed) return { skipped: "no waiting erasure with this id in this workspace" };

    const counts: Record<string, number> = {};
    if (claimed.subject === "contact") {
      if (!claimed.contactId) throw new NonRetriableError("a contact erasure without a contact");
      const set = { ...ids, contactIds: [claimed.contactId] };
      for (const table of CONTACT_ERASURE_STEPS) {
        counts[table.table] = (counts[table.table] ?? 0) + (await step.run(table.id, async () => runErasureStep((await getDatabase()).db, table, set)));
      }
      counts.contacts = await step.run(DELETE_CONTACTS_STEP.id, async () => runErasureStep((await getDatabase()).db, DELETE_CONTACTS_STEP, set));
    } else {
      counts.files = await step.run("delete-stored-files", async () => {
        const db = (await getDatabase()).db;
        const storage = createFileStorage();
        const keys = await storedFilesOfWorkspace(db, ids);
        for (const key of keys) await storage.delete(key);
        return keys.length;
      });
      counts.workspaces = await step.run("delete-workspace", async () => {
        const db = (await getDatabase()).db;
        const deleted = await deleteWorkspaceRows(db, ids);
        // The workspace's own audit entries went with it: this one is kept outside any workspace.
        await insertAuditEntry(db, { workspaceId: null, actor: ERASURE_ACTOR, action: "workspace.erased", targetType: "workspace", targetId: ids.workspaceId, details: { erasureId: ids.erasureId, files: counts.files } });
        return deleted;
      });
    }

    await step.run("finish-erasure", async () => {
      const db = (await getDatabase()).db;
      await finishErasure(db, { erasureId: ids.erasureId, at: new Date(), counts });
      if (claimed.subject === "contact") {
        await insertAuditEntry(db, { workspaceId: ids.workspaceId, actor: ERASURE_ACTOR, action: "contact.erased", targetType: "contact", targetId: claimed.contactId!, details: { erasureId: ids.erasureId, counts } });
      }
      metrics().erasures.inc({ subject: claimed.subject, event: "executed" });
      logger.info({ ...ids, subject: claimed.subject, counts }, "erasure: executed");
    });
    return { erased: true, counts };
  },
);
