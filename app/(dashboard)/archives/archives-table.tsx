import Link from "next/link";
import type { archiveView } from "@/lib/archives/archive-view";
import { Time } from "../_components/ui";

export type ArchiveRow = ReturnType<typeof archiveView> & { campaignName: string | null };

const at = (iso: string | null) => (iso ? new Date(iso) : null);

/** One row per archive: whose it is, its state, and how much it holds. */
export function ArchivesTable({ rows }: { rows: readonly ArchiveRow[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th>Campaign</th>
          <th>Status</th>
          <th>Rows</th>
          <th>Size</th>
          <th>Requested</th>
          <th>Archived</th>
          <th>Restored</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} id={row.id}>
            <td>
              <Link href={`/campaigns/${row.campaignId}`}>{row.campaignName ?? row.campaignId}</Link>
              <div className="muted">by {row.requestedBy}</div>
            </td>
            <td>
              <span className={`badge badge-${row.status}`}>{row.status}</span>
              {row.error ? <div className="error-text">{row.error}</div> : null}
            </td>
            <td>{row.rows.toLocaleString("en-US")}</td>
            <td>{(row.bytes / 1024).toLocaleString("en-US", { maximumFractionDigits: 1 })} KiB</td>
            <td>
              <Time at={at(row.requestedAt)} />
            </td>
            <td>
              <Time at={at(row.archivedAt)} />
            </td>
            <td>
              <Time at={at(row.restoredAt)} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
