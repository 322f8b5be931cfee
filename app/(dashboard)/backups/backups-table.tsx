import type { Backup } from "@/db/queries/backups";
import { formatBytes } from "@/core/text/format-bytes";
import { Empty, StatusBadge, Time } from "../_components/ui";

type ManifestSummary = { schemaVersion?: string; tables?: { rows: number }[] };

/** The backups, newest first: status, size, rows and tables from the manifest, expiry, and how to restore each. */
export function BackupsTable({ backups }: { backups: readonly Backup[] }) {
  if (backups.length === 0) return <Empty>No backups yet.</Empty>;
  return (
    <table className="data backups">
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Status</th>
          <th scope="col">Trigger</th>
          <th scope="col">Tables</th>
          <th scope="col">Rows</th>
          <th scope="col">Size</th>
          <th scope="col">Schema</th>
          <th scope="col">Expires</th>
          <th scope="col">Restore</th>
        </tr>
      </thead>
      <tbody>
        {backups.map((backup) => {
          const manifest = (backup.manifest ?? {}) as ManifestSummary;
          return (
            <tr key={backup.id}>
              <td className="nowrap">
                <Time at={backup.startedAt} />
              </td>
              <td>
                <StatusBadge status={backup.status} />
                {backup.error ? <div className={backup.status === "failed" ? "error-text" : "muted"}>{backup.error}</div> : null}
              </td>
              <td>{backup.trigger}</td>
              <td>{manifest.tables?.length ?? "—"}</td>
              <td>{manifest.tables ? manifest.tables.reduce((sum, table) => sum + table.rows, 0).toLocaleString("en-US") : "—"}</td>
              <td>{backup.bytes == null ? "—" : formatBytes(backup.bytes)}</td>
              <td className="mono">{manifest.schemaVersion ?? "—"}</td>
              <td className="nowrap">{backup.status === "completed" ? <Time at={backup.expiresAt} /> : "—"}</td>
              <td className="mono">{backup.status === "completed" ? `npm run backup:restore -- --from ${backup.id} --to <fresh database>` : "—"}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
