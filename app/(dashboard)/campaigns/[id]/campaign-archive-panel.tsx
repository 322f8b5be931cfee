"use client";

import { useActionState } from "react";
import { IDLE_ARCHIVE_ACTION } from "../../_lib/archive-action-state";
import { submitArchiveAction } from "../archive-actions";

export type CampaignArchivePanelProps = {
  workspaceId: string;
  campaignId: string;
  /** Why Archive is not offered (the campaign may still send), or null when it is. */
  archiveBlockedBy: string | null;
  archive: { id: string; status: string; archivedAt: string | null; restoredAt: string | null; rows: number; bytes: number; files: number; error: string | null; canArchive: boolean; canRestore: boolean } | null;
};

const STATE_TEXT: Record<string, string> = {
  archiving: "Being archived: its rows are being written to cold storage.",
  archived: "Archived: its recipients, messages and events are in cold storage. Stats still come from the rollups.",
  restoring: "Being restored from cold storage.",
  restored: "Restored: its rows are back in the database.",
  failed: "The last archive failed.",
};

const kib = (bytes: number) => `${(bytes / 1024).toLocaleString("en-US", { maximumFractionDigits: 1 })} KiB`;

/** The campaign's archive state and its Archive / Restore buttons (the server decides which apply). */
export function CampaignArchivePanel({ workspaceId, campaignId, archiveBlockedBy, archive }: CampaignArchivePanelProps) {
  const [state, formAction, pending] = useActionState(submitArchiveAction, IDLE_ARCHIVE_ACTION);
  const canArchive = !archiveBlockedBy && (archive ? archive.canArchive : true);
  return (
    <section aria-labelledby="archive-heading">
      <h2 id="archive-heading">Archive</h2>
      {archive ? (
        <p data-archive-status={archive.status}>
          <span className={`badge badge-${archive.status}`}>{archive.status}</span> {STATE_TEXT[archive.status]}{" "}
          {archive.rows > 0 ? (
            <span className="muted">
              {archive.rows.toLocaleString("en-US")} rows in {archive.files} files ({kib(archive.bytes)}) · <a href={`/archives?workspace=${workspaceId}#${archive.id}`}>archives</a>
            </span>
          ) : null}
        </p>
      ) : (
        <p className="muted">Not archived. Finished campaigns can move their recipients, messages and events to cold storage; the campaign, its rollups and sealed stats stay.</p>
      )}
      {archive?.error ? (
        <p className="error-text" role="alert">
          {archive.error}
        </p>
      ) : null}
      <form className="archive-actions" action={formAction} aria-busy={pending}>
        <input type="hidden" name="workspace" value={workspaceId} />
        <input type="hidden" name="campaign" value={campaignId} />
        <p>
          {canArchive ? (
            <button
              type="submit"
              name="action"
              value="archive"
              disabled={pending}
              onClick={(event) => {
                if (!window.confirm("Move this campaign's recipients, messages and events to cold storage?")) event.preventDefault();
              }}
            >
              Archive
            </button>
          ) : null}{" "}
          {archive?.canRestore ? (
            <button type="submit" name="action" value="restore" disabled={pending}>
              Restore
            </button>
          ) : null}
          {!canArchive && !archive?.canRestore ? <span className="muted">{archiveBlockedBy ?? "Nothing to do while the archive is in progress."}</span> : null}
        </p>
        <p role="status" className={state.ok ? "muted" : "error-text"}>
          {state.message}
        </p>
      </form>
    </section>
  );
}
