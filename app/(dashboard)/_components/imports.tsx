import type { Import } from "@/db/queries/imports";
import { isImportActive, progressLabel, progressPercent } from "../_lib/imports";
import { ProgressBar } from "./progress-bar";

type Progress = Pick<Import, "status" | "processed" | "total">;

/**
 * A bar of processed / total. Striped while an unfinished import's total is still unknown; an
 * import that ended before its total was known (a rejected file) shows an empty bar.
 */
export function ImportProgress({ row, compact = false }: { row: Progress; compact?: boolean }) {
  const percent = progressPercent(row);
  return (
    <ProgressBar
      name="Import"
      tone={row.status}
      percent={percent}
      label={progressLabel(row)}
      indeterminate={percent === null && isImportActive(row.status)}
      compact={compact}
    />
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
