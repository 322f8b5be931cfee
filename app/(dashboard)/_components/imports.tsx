import type { Import } from "@/db/queries/imports";
import { isImportActive, progressLabel, progressPercent } from "../_lib/imports";

type Progress = Pick<Import, "status" | "processed" | "total">;

/**
 * A bar of processed / total. Striped while an unfinished import's total is still unknown; an
 * import that ended before its total was known (a rejected file) shows an empty bar.
 */
export function ImportProgress({ row, compact = false }: { row: Progress; compact?: boolean }) {
  const percent = progressPercent(row);
  const label = progressLabel(row);
  const indeterminate = percent === null && isImportActive(row.status);
  return (
    <div className={`progress-wrap${compact ? " compact" : ""}`}>
      <div
        className={`progress progress-${row.status}${indeterminate ? " indeterminate" : ""}`}
        role="progressbar"
        aria-label={`Import progress: ${label}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={percent === null ? label : `${percent}% (${label})`}
      >
        <div className="progress-fill" style={{ width: `${percent ?? (indeterminate ? 100 : 0)}%` }} />
      </div>
      <span className="progress-text">
        {percent === null ? "" : `${percent}% · `}
        {label}
      </span>
    </div>
  );
}

const COUNTERS = [
  ["inserted", "Inserted"],
  ["updated", "Updated"],
  ["skipped", "Skipped"],
  ["failed", "Failed"],
] as const;

export function ImportCounters({ row }: { row: Pick<Import, "inserted" | "updated" | "skipped" | "failed"> }) {
  return (
    <section className="cards counters">
      {COUNTERS.map(([key, label]) => (
        <div key={key} className={`card counter-${key}${row[key] ? "" : " zero"}`}>
          <div className="card-label">{label}</div>
          <div className="card-value">{row[key].toLocaleString("en-US")}</div>
        </div>
      ))}
    </section>
  );
}
