import { exportRequested } from "./events";

/** Asks build-export to build a recorded export; once per export, however often it is sent. */
export const exportRequestedEvent = (ids: { workspaceId: string; exportId: string }) => exportRequested.create(ids, { id: `data-export-${ids.exportId}` });
