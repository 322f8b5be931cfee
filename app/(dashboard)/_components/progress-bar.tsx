/**
 * The dashboard's progress bar (imports, campaigns): a filled share with its percent and label.
 * `percent` null means not known yet: striped and full while `indeterminate` (work under way),
 * empty otherwise (it ended before a total was known).
 */
export function ProgressBar({
  name,
  tone,
  percent,
  label,
  indeterminate,
  compact = false,
}: {
  /** What progresses, for the accessible name ("Import", "Campaign"). */
  name: string;
  /** Colour class suffix: progress-<tone>. */
  tone: string;
  percent: number | null;
  label: string;
  indeterminate: boolean;
  compact?: boolean;
}) {
  return (
    <div className={`progress-wrap${compact ? " compact" : ""}`}>
      <div
        className={`progress progress-${tone}${indeterminate ? " indeterminate" : ""}`}
        role="progressbar"
        aria-label={`${name} progress: ${label}`}
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
