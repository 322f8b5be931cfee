import type { AuditEntry } from "@/db/queries/audit-log";
import { Empty, Time } from "../_components/ui";

/** A page of audit entries, newest first, with each entry's details and the head of its hash. */
export function AuditEntriesTable({ entries, filtered }: { entries: readonly AuditEntry[]; filtered: boolean }) {
  if (entries.length === 0) return <Empty>No audit entries{filtered ? " match this filter" : ""}.</Empty>;
  return (
    <table className="data audit-log">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">When</th>
          <th scope="col">Actor</th>
          <th scope="col">Action</th>
          <th scope="col">Target</th>
          <th scope="col">Details</th>
          <th scope="col">Hash</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.id}>
            <td className="mono">{entry.id}</td>
            <td className="nowrap">
              <Time at={entry.createdAt} />
            </td>
            <td className="mono">{entry.actor}</td>
            <td className="mono">{entry.action}</td>
            <td className="mono">{entry.targetType ? `${entry.targetType}${entry.targetId ? ` ${entry.targetId}` : ""}` : (entry.targetId ?? "—")}</td>
            <td className="mono">{Object.keys(entry.details).length ? JSON.stringify(entry.details) : "—"}</td>
            <td className="mono" title={entry.hash ?? "written before the chain existed"}>
              {entry.hash ? `${entry.hash.slice(0, 12)}…` : "—"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
