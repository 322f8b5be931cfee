"use server";

import { refresh } from "next/cache";
import { runDeadLetterRetry } from "../_lib/dead-letter-retry";
import type { DeadLetterRetryState } from "../_lib/dead-letter-retry-state";
import { readPageFilter } from "../_lib/dead-letter-filter";
import { dashboardContext } from "../_lib/workspace";

/**
 * "Retry" on a row (a `message` field) or "Retry all matching" (the page's filter in hidden
 * fields). The workspace is the one the page was drawn for and must still exist.
 */
export async function submitDeadLetterRetry(_previous: DeadLetterRetryState, form: FormData): Promise<DeadLetterRetryState> {
  const { db, workspaces } = await dashboardContext();
  const workspace = workspaces.find((candidate) => candidate.id === form.get("workspace"));
  if (!workspace) return { ok: false, message: "That workspace no longer exists: reload the page." };
  const message = form.get("message");
  const state = await runDeadLetterRetry(db, {
    workspaceId: workspace.id,
    ...(typeof message === "string" ? { messageId: message } : { filter: readPageFilter((name) => form.get(name)) }),
  });
  // The list is not what the page was drawn for any more: draw it again.
  refresh();
  return state;
}
