import { digestCancelled, digestFlushRequested, digestOpened } from "./events";

type DigestIds = { workspaceId: string; digestId: string };

/**
 * What sends a pending digest now: the flush event for the run waiting on it, and the open event
 * again under its first id (no second run) in case the first was lost. The same for the API and
 * the dashboard.
 */
export const digestFlushEvents = (ids: DigestIds) => [digestOpened.create(ids, { id: `digest-opened-${ids.digestId}` }), digestFlushRequested.create(ids)];

/** Ends a cancelled digest's waiting run early; once per digest. */
export const digestCancelEvent = (ids: DigestIds) => digestCancelled.create(ids, { id: `digest-cancelled-${ids.digestId}` });
