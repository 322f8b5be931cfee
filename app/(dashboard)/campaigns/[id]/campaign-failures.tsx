import type { CampaignFailure } from "@/db/queries/campaign-recipients";
import { Pagination, Time } from "../../_components/ui";

/** A campaign's failed recipients and the error each got: what to fix, not only how many. */
export function CampaignFailures({
  failures,
  total,
  firstHref,
  nextHref,
  isFirst,
}: {
  failures: CampaignFailure[];
  total: number;
  firstHref: string;
  nextHref: string | null;
  isFirst: boolean;
}) {
  return (
    <section aria-labelledby="failures-heading">
      <h2 id="failures-heading">Failures ({total.toLocaleString("en-US")})</h2>
      <table className="data failures">
        <thead>
          <tr>
            <th scope="col">Recipient</th>
            <th scope="col">Error</th>
            <th scope="col">Failed</th>
          </tr>
        </thead>
        <tbody>
          {failures.map((failure) => (
            <tr key={failure.contactId}>
              <td className="mono">{failure.recipient ?? <span className="muted">erased contact</span>}</td>
              <td className="error-text">{failure.error}</td>
              <td className="nowrap">
                <Time at={failure.failedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pagination firstHref={firstHref} nextHref={nextHref} isFirst={isFirst} />
    </section>
  );
}
