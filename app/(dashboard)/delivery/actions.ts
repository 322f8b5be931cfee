"use server";

import { redirect } from "next/navigation";
import { inngest } from "@/inngest/client";
import { digestCancelEvent, digestFlushEvents } from "@/inngest/digest-event";
import { cancelDigest, flushDigestNow } from "@/lib/delivery/digest-commands";
import { logger } from "@/lib/observability/logger";
import { saveQuietHoursForm } from "../_lib/delivery-form";
import { href } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";

/**
 * The Delivery rules page's forms, post/redirect/get like the Categories page: the outcome in the
 * address, so they work without JavaScript and a reload never submits twice.
 */
async function run(form: FormData, work: (workspaceId: string) => Promise<{ ok: boolean; message: string }>): Promise<never> {
  const { workspaces } = await dashboardContext();
  const workspace = workspaces.find((candidate) => candidate.id === form.get("workspace"));
  const outcome = workspace ? await work(workspace.id) : { ok: false, message: "That workspace no longer exists: reload the page." };
  redirect(href("/delivery", { workspace: workspace?.id, [outcome.ok ? "notice" : "problem"]: outcome.message }));
}

export async function saveQuietHoursAction(form: FormData): Promise<never> {
  const { db } = await dashboardContext();
  return run(form, (workspaceId) => saveQuietHoursForm(db, { workspaceId, form }));
}

export async function flushDigestAction(form: FormData): Promise<never> {
  const { db } = await dashboardContext();
  return run(form, async (workspaceId) => {
    const ids = { workspaceId, digestId: String(form.get("digest") ?? "") };
    const outcome = await flushDigestNow(db, ids);
    if (!outcome.ok) return { ok: false, message: `Not sent: ${outcome.message}.` };
    try {
      await inngest.send(digestFlushEvents(ids));
    } catch (error) {
      logger.error({ err: error, ...ids }, "digests: could not send the flush event");
      return { ok: false, message: "The digest could not be sent now: try again." };
    }
    return { ok: true, message: "Sending the digest now." };
  });
}

export async function cancelDigestAction(form: FormData): Promise<never> {
  const { db } = await dashboardContext();
  return run(form, async (workspaceId) => {
    const ids = { workspaceId, digestId: String(form.get("digest") ?? "") };
    const outcome = await cancelDigest(db, ids);
    if (!outcome.ok) return { ok: false, message: `Not cancelled: ${outcome.message}.` };
    try {
      await inngest.send(digestCancelEvent(ids));
    } catch (error) {
      logger.warn({ err: error, ...ids }, "digests: could not send the cancel event; the run will find the digest cancelled");
    }
    return { ok: true, message: "Cancelled the digest: its notifications will not be sent." };
  });
}
