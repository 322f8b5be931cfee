import type { Db } from "@/db";
import { listCampaignAnalyses } from "@/db/queries/campaign-analyses";
import { listGuardTrips } from "@/db/queries/campaign-guard-trips";
import { formatPercent } from "@/core/analytics/campaign-rates";
import type { RateComparison } from "@/core/analytics/campaign-analysis";
import { Time } from "../../_components/ui";

const VERDICT_LABEL: Record<RateComparison["verdict"], string> = {
  better: "better",
  worse: "worse",
  in_line: "in line",
  too_few: "too few to tell",
  no_baseline: "no baseline",
};

const rateCell = (side: RateComparison["campaign"] | null) =>
  side && side.value !== null ? (
    <>
      {formatPercent(side.value)}{" "}
      <span className="muted">
        ({formatPercent(side.interval.low)}–{formatPercent(side.interval.high)}; {side.successes.toLocaleString("en-US")}/{side.trials.toLocaleString("en-US")})
      </span>
    </>
  ) : (
    "—"
  );

/** What the panel shows: the campaign's stored analyses and guard pauses, newest first. */
export async function campaignAnalysisPanelData(db: Db, ids: { workspaceId: string; campaignId: string }) {
  const [analyses, trips] = await Promise.all([listCampaignAnalyses(db, ids), listGuardTrips(db, ids)]);
  return { analyses, trips };
}

/**
 * The campaign against the workspace's baseline (stored by analyze-campaign when it finished,
 * and again 48 h later), and every automatic pause the guard made. The page reads the rows
 * (campaignAnalysisPanelData), so the panel renders synchronously like its neighbours.
 */
export function CampaignAnalysisPanel({ analyses, trips }: Awaited<ReturnType<typeof campaignAnalysisPanelData>>) {
  const latest = analyses[0];
  if (!latest && trips.length === 0) return null;
  return (
    <section className="campaign-analysis" aria-label="Performance analysis">
      <h2>Performance analysis</h2>
      {trips.length > 0 ? (
        <ul className="guard-pauses">
          {trips.map((trip) => (
            <li key={trip.id}>
              Paused by the guard <Time at={trip.trippedAt} />:{" "}
              {trip.readings.map((r) => `${r.reason === "complaint_rate" ? "complaint rate" : "hard-bounce rate"} ${formatPercent(r.rate)} (${r.count} of ${r.of}) over ${formatPercent(r.threshold)}`).join("; ")}
              {trip.acknowledgedAt ? (
                <>
                  {" "}
                  · resumed <Time at={trip.acknowledgedAt} />
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {latest ? (
        <>
          <p className="analysis-summary">
            {latest.analysis.summary}{" "}
            <span className="muted">
              ({latest.phase === "settled" ? "after late events settled" : "when the campaign finished"}, <Time at={latest.analyzedAt} />)
            </span>
          </p>
          <table className="data">
            <thead>
              <tr>
                <th>Rate</th>
                <th>This campaign (95 % CI; count)</th>
                <th>Baseline</th>
                <th>Difference</th>
                <th>Verdict</th>
              </tr>
            </thead>
            <tbody>
              {latest.analysis.rates.map((rate) => (
                <tr key={rate.rate} className={`verdict-${rate.verdict}`} title={rate.text}>
                  <td>{rate.label}</td>
                  <td>{rateCell(rate.campaign)}</td>
                  <td>{rateCell(rate.baseline)}</td>
                  <td>{rate.difference ? `${rate.difference.absolute >= 0 ? "+" : "−"}${Math.abs(rate.difference.absolute * 100).toFixed(2)} pts` : "—"}</td>
                  <td>{VERDICT_LABEL[rate.verdict]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
