import { RETENTION_TARGET_LABELS, RETENTION_TARGET_NAMES } from "@/core/lifecycle/retention-rules";
import type { DryRunReport } from "@/lib/lifecycle/retention-policy";

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

/** What a policy would touch now, per target: counts, cutoffs and a few ids. */
export function DryRunReportTable({ report }: { report: DryRunReport }) {
  return (
    <div className="retention-report" aria-label="Dry run report">
      <p>
        Contacts: <strong>{report.contacts.wouldAnonymise}</strong> of {report.contacts.live} would be anonymised ({percent(report.contacts.share)}; confirmation needed above{" "}
        {percent(report.confirmShare)}).
      </p>
      <table>
        <thead>
          <tr>
            <th>What</th>
            <th>Older than</th>
            <th>Rows</th>
            <th>Sample ids</th>
          </tr>
        </thead>
        <tbody>
          {RETENTION_TARGET_NAMES.map((target) => {
            const row = report.targets[target];
            return (
              <tr key={target} data-target={target}>
                <td>{RETENTION_TARGET_LABELS[target]}</td>
                <td>{row.days === null ? <span className="muted">off</span> : `${row.days} days (${row.cutoff?.slice(0, 10)})`}</td>
                <td className="num">{row.count}</td>
                <td>
                  <code>{row.sample.join(", ")}</code>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
