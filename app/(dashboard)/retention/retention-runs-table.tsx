import { RETENTION_TARGET_LABELS, RETENTION_TARGET_NAMES } from "@/core/lifecycle/retention-rules";
import type { RetentionRun } from "@/db/queries/retention-runs";
import { Empty, StatusBadge, Time } from "../_components/ui";

/** Runs and dry runs, newest first, with what each touched (or would have) per target. */
export function RetentionRunsTable({ runs }: { runs: readonly RetentionRun[] }) {
  if (runs.length === 0) return <Empty>No runs yet: a dry run or the first daily run appears here.</Empty>;
  return (
    <table aria-label="Retention runs">
      <thead>
        <tr>
          <th>Started</th>
          <th>Kind</th>
          <th>Status</th>
          <th>Rows</th>
          <th>Finished</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => {
          const touched = RETENTION_TARGET_NAMES.filter((target) => (run.counts[target] ?? 0) > 0);
          return (
            <tr key={run.id} data-run={run.id}>
              <td>
                <Time at={run.startedAt} />
              </td>
              <td>{run.dryRun ? "Dry run" : "Applied"}</td>
              <td>
                <StatusBadge status={run.status} />
                {run.error ? <span className="error-text"> {run.error}</span> : null}
              </td>
              <td>
                {touched.length === 0 ? (
                  <span className="muted">{run.status === "running" ? "under way" : "nothing"}</span>
                ) : (
                  <ul className="plain-list">
                    {touched.map((target) => (
                      <li key={target}>
                        {RETENTION_TARGET_LABELS[target]}: <strong>{run.counts[target]}</strong>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                <Time at={run.finishedAt} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
