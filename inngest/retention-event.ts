import { retentionRequested } from "./events";

/** Asks apply-retention-policy to apply a recorded run; once per run. */
export const retentionRequestedEvent = (ids: { workspaceId: string; runId: string }) => retentionRequested.create(ids, { id: `retention-${ids.runId}` });
