import type { ExportView } from "@/lib/exports/export-view";
import { humanBytes } from "@/lib/exports/export-email";
import { ProgressBar } from "../_components/progress-bar";
import { StatusBadge, Time } from "../_components/ui";

const date = (iso: string | null) => (iso ? new Date(iso) : null);

/** Exports, newest first: what, status with progress, size, when, and the download link while it works. */
export function ExportsTable({ rows, contactLabels }: { rows: readonly ExportView[]; contactLabels: Readonly<Record<string, string>> }) {
  return (
    <table className="data exports">
      <thead>
        <tr>
          <th scope="col">Export</th>
          <th scope="col">Status</th>
          <th scope="col">Progress</th>
          <th scope="col" className="num">
            Size
          </th>
          <th scope="col">Requested</th>
          <th scope="col">Link works until</th>
          <th scope="col">Download</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const percent = row.progress === null ? null : Math.floor(row.progress * 100);
          const label = row.rowsTotal === null ? "counting rows" : `${row.rowsDone.toLocaleString("en-US")} of ${row.rowsTotal.toLocaleString("en-US")} rows`;
          return (
            <tr key={row.id} data-export-id={row.id}>
              <td>
                {row.subject === "workspace" ? "Workspace" : `Contact ${contactLabels[row.contactId ?? ""] ?? row.contactId}`}
                <br />
                <span className="muted">by {row.requestedBy}</span>
              </td>
              <td>
                <StatusBadge status={row.status} />
                {row.error ? <p className="error-text">{row.error}</p> : null}
              </td>
              <td>
                <ProgressBar name="Export" tone={row.status === "failed" ? "failed" : row.status === "ready" ? "completed" : "running"} percent={percent} label={label} indeterminate={row.status === "queued" || row.status === "running"} compact />
              </td>
              <td className="num">{row.bytes === null ? "—" : humanBytes(row.bytes)}</td>
              <td>
                <Time at={date(row.createdAt)} />
              </td>
              <td>
                <Time at={date(row.expiresAt)} />
              </td>
              <td>
                {row.downloadUrl ? (
                  <a href={row.downloadUrl} download rel="noreferrer">
                    Download zip
                  </a>
                ) : (
                  <span className="muted">{row.status === "expired" ? "expired" : "—"}</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
