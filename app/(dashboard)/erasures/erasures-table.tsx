import Link from "next/link";
import type { Erasure } from "@/db/queries/erasures";
import { Empty, StatusBadge, Time } from "../_components/ui";
import { ErasureButton } from "./erasure-button";

const countsText = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([table, n]) => `${table} ${n}`)
    .join(" · ");

/** Erasures with their state, window and counts, and the actions each still allows. */
export function ErasuresTable({ rows, workspaceId, now }: { rows: Erasure[]; workspaceId: string; now: Date }) {
  if (!rows.length) return <Empty>No erasures.</Empty>;
  return (
    <table>
      <thead>
        <tr>
          <th>Subject</th>
          <th>Status</th>
          <th>Requested</th>
          <th>Window ends</th>
          <th>Done</th>
          <th>Recovery emails</th>
          <th>Counts</th>
          <th>Actions</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const open = row.status === "pending" && row.eraseAfter.getTime() > now.getTime();
          return (
            <tr key={row.id} data-erasure={row.id}>
              <td>
                {row.subject === "workspace" ? "This workspace" : <span className="mono">contact {row.contactId}</span>}
                <div className="muted mono">{row.requestedBy}</div>
              </td>
              <td>
                <StatusBadge status={row.status} />
                {row.error ? <div className="error-text">{row.error}</div> : null}
              </td>
              <td>
                <Time at={row.requestedAt} />
              </td>
              <td>
                <Time at={row.eraseAfter} />
              </td>
              <td>
                <Time at={row.executedAt ?? row.restoredAt} />
              </td>
              <td>{row.subject === "contact" ? row.recoveryEmailsSent : "—"}</td>
              <td className="muted">{countsText(row.counts) || "—"}</td>
              <td>
                {open ? (
                  <>
                    <ErasureButton workspaceId={workspaceId} kind="restore" target={row.id} label="Restore" />
                    {row.subject === "contact" ? <ErasureButton workspaceId={workspaceId} kind="resend" target={row.id} label="Send recovery email" /> : null}
                  </>
                ) : row.status === "restored" && row.contactId ? (
                  <Link href={`/contacts/${row.contactId}`}>Open contact</Link>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
