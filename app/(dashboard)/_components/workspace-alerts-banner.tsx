import Link from "next/link";
import { getDatabase } from "@/db";
import { listWorkspaceAlerts } from "@/db/queries/workspace-alerts";

/** Open alerts shown at the top of every dashboard page. */
const BANNER_ALERTS = 5;

/** The workspace's open alerts (a campaign paused by the guard), on every page until resolved. */
export async function WorkspaceAlertsBanner({ workspaceId }: { workspaceId: string }) {
  const { db } = await getDatabase();
  const alerts = await listWorkspaceAlerts(db, { workspaceId, limit: BANNER_ALERTS });
  if (alerts.length === 0) return null;
  return (
    <div className="alert workspace-alerts" role="alert" aria-label="Workspace alerts">
      {alerts.map((alert) => (
        <p key={alert.id}>
          <strong>{alert.title}.</strong> {alert.message}{" "}
          {alert.targetType === "campaign" && alert.targetId ? <Link href={`/campaigns/${alert.targetId}`}>Open the campaign</Link> : null}
        </p>
      ))}
    </div>
  );
}
