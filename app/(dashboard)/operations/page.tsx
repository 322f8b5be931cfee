import type { Metadata } from "next";
import Link from "next/link";
import type { Db } from "@/db";
import { recentFailures } from "@/db/queries/recent-failures";
import { operationsSnapshot } from "@/lib/observability/operations-snapshot";
import { Empty, NoWorkspace, PageHeader, Time } from "../_components/ui";
import { param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Operations" };

const WINDOW_DAYS = 7;
const FAILURES_SHOWN = 20;

const percent = (rate: number) => `${(rate * 100).toFixed(rate > 0 && rate < 0.01 ? 2 : 1)} %`;

async function loadOperations(db: Db, workspaceId: string, now: Date) {
  const since = new Date(now.getTime() - WINDOW_DAYS * 24 * 60 * 60 * 1000);
  const [failures, snapshot] = await Promise.all([recentFailures(db, { workspaceId, since, limit: FAILURES_SHOWN }), operationsSnapshot()]);
  return { failures, snapshot };
}

/**
 * What failed and what is struggling. Failures come from the database (this workspace, the last
 * week); run, retry and provider figures from this server process since it started — the same
 * series Prometheus scrapes from /api/metrics, which has them across instances and over time.
 */
export default async function OperationsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { db, workspace } = await dashboardContext(param(await searchParams, "workspace"));
  if (!workspace) {
    return (
      <>
        <PageHeader title="Operations" />
        <NoWorkspace />
      </>
    );
  }
  const { failures, snapshot } = await loadOperations(db, workspace.id, new Date());

  return (
    <>
      <PageHeader
        title="Operations"
        subtitle={<>Failures in workspace {workspace.name} over the last {WINDOW_DAYS} days; runs, retries and provider errors seen by this server since it started.</>}
      />

      <section>
        <h2>Functions</h2>
        {snapshot.functions.length === 0 ? (
          <Empty>No function has run on this server since it started.</Empty>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Function</th>
                <th scope="col" className="num">Runs completed</th>
                <th scope="col" className="num">Runs failed</th>
                <th scope="col" className="num">Retries</th>
                <th scope="col" className="num">Step attempts</th>
                <th scope="col" className="num">Step errors</th>
              </tr>
            </thead>
            <tbody>
              {snapshot.functions.map((fn) => (
                <tr key={fn.function}>
                  <td>
                    <code>{fn.function}</code>
                  </td>
                  <td className="num">{fn.completed}</td>
                  <td className={fn.failed > 0 ? "num error-text" : "num"}>{fn.failed}</td>
                  <td className="num">{fn.retries}</td>
                  <td className="num">{fn.stepAttempts}</td>
                  <td className={fn.stepErrors > 0 ? "num error-text" : "num"}>{fn.stepErrors}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section>
        <h2>Providers</h2>
        {snapshot.providers.length === 0 ? (
          <Empty>No provider has been called on this server since it started.</Empty>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Provider</th>
                <th scope="col" className="num">Calls</th>
                <th scope="col" className="num">Errors</th>
                <th scope="col" className="num">Error rate</th>
                <th scope="col" className="num">Rate limited (429)</th>
                <th scope="col">Errors by kind</th>
              </tr>
            </thead>
            <tbody>
              {snapshot.providers.map((provider) => (
                <tr key={`${provider.channel}/${provider.provider}`}>
                  <td>{provider.channel}</td>
                  <td>{provider.provider}</td>
                  <td className="num">{provider.calls}</td>
                  <td className="num">{provider.errors}</td>
                  <td className={provider.errorRate > 0 ? "num error-text" : "num"}>{percent(provider.errorRate)}</td>
                  <td className="num">{provider.rateLimited}</td>
                  <td className="muted">
                    {Object.entries(provider.byKind)
                      .map(([kind, n]) => `${kind} ${n}`)
                      .join(", ") || "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section>
        <h2>
          Failed messages <Link href="/notifications?status=failed&kind=all" className="section-link">all →</Link>
        </h2>
        {failures.messages.length === 0 ? (
          <Empty>No message failed in the last {WINDOW_DAYS} days.</Empty>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Failed</th>
                <th scope="col">Function</th>
                <th scope="col">Channel</th>
                <th scope="col">To</th>
                <th scope="col">Provider</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {failures.messages.map((message) => (
                <tr key={message.id}>
                  <td>
                    <Link href={`/notifications/${message.id}`}>
                      <Time at={message.failedAt} />
                    </Link>
                  </td>
                  <td>
                    <code>{message.campaignId ? "send-campaign-chunk" : "send-notification"}</code>
                  </td>
                  <td>{message.channel}</td>
                  <td>{message.recipient}</td>
                  <td>{message.provider ?? "—"}</td>
                  <td className="error-text">{message.error ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section>
        <h2>Failed imports</h2>
        {failures.imports.length === 0 ? (
          <Empty>No import failed in the last {WINDOW_DAYS} days.</Empty>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Failed</th>
                <th scope="col">File</th>
                <th scope="col" className="num">Rows failed</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {failures.imports.map((row) => (
                <tr key={row.id}>
                  <td>
                    <Link href={`/imports/${row.id}`}>
                      <Time at={row.updatedAt} />
                    </Link>
                  </td>
                  <td>{row.fileName}</td>
                  <td className="num">{row.failed}</td>
                  <td className="error-text">{row.error ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section>
        <h2>Failed campaigns</h2>
        {failures.campaigns.length === 0 ? (
          <Empty>No campaign failed in the last {WINDOW_DAYS} days.</Empty>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Failed</th>
                <th scope="col">Campaign</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {failures.campaigns.map((campaign) => (
                <tr key={campaign.id}>
                  <td>
                    <Time at={campaign.updatedAt} />
                  </td>
                  <td>
                    <Link href={`/campaigns/${campaign.id}`}>{campaign.name}</Link>
                  </td>
                  <td className="error-text">{campaign.statusReason ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
