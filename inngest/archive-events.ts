import { archiveRequested, archiveRestoreRequested } from "./events";

type ArchiveRequest = { workspaceId: string; archiveId: string; requestedAt: Date };

/** Asks archive-campaign to move the campaign's rows; one event per request (a re-archive after a restore is a new request). */
export const archiveRequestedEvent = (request: ArchiveRequest) =>
  archiveRequested.create({ workspaceId: request.workspaceId, archiveId: request.archiveId }, { id: `archive-${request.archiveId}-${request.requestedAt.getTime()}` });

/** Asks restore-archive to put the rows back; once per restore request. */
export const archiveRestoreRequestedEvent = (request: ArchiveRequest) =>
  archiveRestoreRequested.create({ workspaceId: request.workspaceId, archiveId: request.archiveId }, { id: `archive-restore-${request.archiveId}-${request.requestedAt.getTime()}` });
