import Link from "next/link";
import { type Db, getDatabase } from "@/db";
import { countMessagesByStatus, type StatusCounts } from "@/db/queries/message-stats";
import { listMessages } from "@/db/queries/messages";
import { messageStatus } from "@/db/schema";
import { NoWorkspace, PageHeader, StatusBadge, Time } from "./_components/ui";
import { MessagesTable } from "./_components/messages-table";
import { runsUrl, safeInngestMode } from "./_lib/inngest-ui";
import { param, type SearchParams } from "./_lib/search-params";
import { dashboardContext } from "./_lib/workspace";

export const dynamic = "force-dynamic";

const RECENT_MESSAGES = 10;
const DAY_MS = 24 * 60 * 60 * 1000;

function total(counts: StatusCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
}

async function loadOverview(db: Db, workspaceId: string, now: Date) {
  const [lastDay, lastWeek, recent] = await Promise.all([
    countMessagesByStatus(db, { workspaceId, since: new Date(now.getTime() - DAY_MS) }),
    countMessagesByStatus(db, { workspaceId, since: new Date(now.getTime() - 7 * DAY_MS) }),
    listMessages(db, { workspaceId, limit: RECENT_MESSAGES }),
  ]);
  return { lastDay, lastWeek, recent };
}

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { db, workspace } = await dashboardContext(param(await searchParams, "workspace"));
  const database = await getDatabase();
  const mode = safeInngestMode();
  if (!workspace) {
    return (
      <>
        <PageHeader title="Overview" />
        <NoWorkspace />
      </>
    );
  }

  const { lastDay, lastWeek, recent } = await loadOverview(db, workspace.id, new Date());

  return (
    <>
      <PageHeader title="Overview" subtitle={<>Workspace {workspace.name} · created <Time at={workspace.createdAt} /></>} />

      <section className="cards">
        <div className="card">
          <div className="card-label">Messages, last 24 h</div>
          <div className="card-value">{total(lastDay)}</div>
        </div>
        <div className="card">
          <div className="card-label">Messages, last 7 days</div>
          <div className="card-value">{total(lastWeek)}</div>
        </div>
        <div className="card">
          <div className="card-label">Database</div>
          <div className="card-value small">{database.kind}</div>
        </div>
        <div className="card">
          <div className="card-label">Inngest</div>
          <div className="card-value small">
            {mode ? (
              <>
                {mode.mode} · <a href={runsUrl(mode)}>{mode.serverUrl}</a>
              </>
            ) : (
              <span className="error-text">misconfigured: see /api/health</span>
            )}
          </div>
        </div>
      </section>

      <section>
        <h2>By status</h2>
        <table className="data counts">
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Last 24 h
              </th>
              <th scope="col" className="num">
                Last 7 days
              </th>
            </tr>
          </thead>
          <tbody>
            {messageStatus.enumValues.map((status) => (
              <tr key={status} className={lastWeek[status] ? undefined : "zero"}>
                <td>
                  <Link href={`/notifications?status=${status}&kind=all`}>
                    <StatusBadge status={status} />
                  </Link>
                </td>
                <td className="num">{lastDay[status] ?? 0}</td>
                <td className="num">{lastWeek[status] ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section>
        <h2>
          Recent messages <Link href="/notifications?kind=all" className="section-link">all →</Link>
        </h2>
        <MessagesTable messages={recent} showKind />
      </section>
    </>
  );
}
