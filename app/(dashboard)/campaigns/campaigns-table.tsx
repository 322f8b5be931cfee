import Link from "next/link";
import { StatusBadge, Time } from "../_components/ui";
import type { CampaignListRow } from "../_lib/campaign-list";
import { CampaignAudience } from "./campaign-audience";
import { CampaignProgressBar } from "./campaign-progress-bar";

const count = (n: number) => n.toLocaleString("en-US");

/** Only the moments that happened (or are planned), each labelled: three bare dates read alike. */
function CampaignTimes({ campaign }: { campaign: CampaignListRow["campaign"] }) {
  const times = (
    [
      ["send at", campaign.sendAt],
      ["started", campaign.startedAt],
      ["finished", campaign.finishedAt],
    ] as const
  ).filter(([, at]) => at !== null);
  if (!times.length) return <span className="muted">—</span>;
  return (
    <div className="times">
      {times.map(([label, at]) => (
        <span key={label}>
          <span className="muted">{label}</span> <Time at={at} />
        </span>
      ))}
    </div>
  );
}

export function CampaignsTable({ rows }: { rows: readonly CampaignListRow[] }) {
  return (
    <table className="data campaigns">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Channel</th>
          <th scope="col">Status</th>
          <th scope="col">Audience</th>
          <th scope="col">Progress</th>
          <th scope="col" className="num">
            Sent
          </th>
          <th scope="col" className="num">
            Failed
          </th>
          <th scope="col">Times</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ campaign, progress, audienceName, archiveStatus }) => (
          <tr key={campaign.id}>
            <td className="truncate">
              <Link href={`/campaigns/${campaign.id}`} title={campaign.name}>
                {campaign.name}
              </Link>
            </td>
            <td>{campaign.channel}</td>
            <td>
              <StatusBadge status={campaign.status} />
              {archiveStatus && archiveStatus !== "restored" ? (
                <>
                  {" "}
                  <span className={`badge badge-${archiveStatus}`} title="Its recipients, messages and events are in cold storage">
                    {archiveStatus === "archived" ? "archived" : `archive ${archiveStatus}`}
                  </span>
                </>
              ) : null}
              {campaign.statusReason ? <div className={`status-reason${campaign.status === "failed" ? " error-text" : " muted"}`}>{campaign.statusReason}</div> : null}
            </td>
            <td>
              <CampaignAudience audience={campaign.audience} name={audienceName} />
              {progress.audience ? <div className="muted">{count(progress.audience)} recipients</div> : null}
            </td>
            <td className="progress-cell">
              <CampaignProgressBar status={campaign.status} counts={progress} compact />
            </td>
            <td className="num">{count(progress.sent)}</td>
            <td className={`num${progress.failed ? " error-text" : ""}`}>{count(progress.failed)}</td>
            <td className="nowrap">
              <CampaignTimes campaign={campaign} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
