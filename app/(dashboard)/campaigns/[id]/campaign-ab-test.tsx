import type { AbTestView } from "@/lib/campaigns/ab-test-view";
import { Time } from "../../_components/ui";
import { PickAbWinnerForm } from "./pick-ab-winner-form";

const METRIC_LABEL: Record<AbTestView["metric"], string> = { opens: "Opens (human)", clicks: "Clicks (human)", goal: "Goal" };

const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`;
/** A p-value as people read it: never "0", and the confidence beside it. */
const significance = (pValue: number) => `p = ${pValue < 0.001 ? "< 0.001" : pValue.toFixed(3)} (${percent(1 - pValue)} confidence)`;

/** A send-time variant's time: when its sample went (or goes) out, else its delay. */
function sendTime(variant: AbTestView["variants"][number]): string | null {
  if (variant.sendDelayMinutes === null) return null;
  const delay = variant.sendDelayMinutes === 0 ? "at the start" : `${variant.sendDelayMinutes.toLocaleString("en-US")} min after the start`;
  return variant.sendAt ? `Sent ${delay} (${variant.sendAt.slice(11, 16)} UTC)` : `Sent ${delay}`;
}

/** An A/B campaign's variants with their live results, and the winner with its significance once picked. */
export function CampaignAbTest({ test, workspaceId, campaignId }: { test: AbTestView; workspaceId: string; campaignId: string }) {
  const metric = test.metric === "goal" ? `${METRIC_LABEL.goal}: ${test.goalEvent}` : METRIC_LABEL[test.metric];
  return (
    <section aria-label="A/B test">
      <h2>A/B test</h2>
      <p className="muted">
        {test.testPercent} % of the audience, split evenly among {test.variants.length} variants; the winner by {metric.toLowerCase()} {test.winner ? "was due" : "is picked"}{" "}
        {test.decideAt ? (
          <>
            at <Time at={new Date(test.decideAt)} />
          </>
        ) : (
          <>{test.windowMinutes.toLocaleString("en-US")} minutes after sending starts</>
        )}{" "}
        and sent to the rest.
      </p>
      <table className="data" aria-label="Variants">
        <thead>
          <tr>
            <th scope="col">Variant</th>
            <th scope="col">Changes</th>
            <th scope="col" className="num">
              Sent
            </th>
            <th scope="col" className="num">
              {metric}
            </th>
            <th scope="col" className="num">
              Rate
            </th>
          </tr>
        </thead>
        <tbody>
          {test.variants.map((variant) => (
            <tr key={variant.variant} data-variant={variant.variant} data-winner={test.winner?.variant === variant.variant ? "true" : undefined}>
              <th scope="row">
                {variant.variant}
                {test.winner?.variant === variant.variant ? " (winner)" : ""}
              </th>
              <td>
                {[variant.subject ? `Subject “${variant.subject}”` : null, variant.templateId ? "another template" : null, variant.from ? `From ${variant.from}` : null, sendTime(variant)]
                  .filter(Boolean)
                  .join(" · ")}
              </td>
              <td className="num">{variant.sent.toLocaleString("en-US")}</td>
              <td className="num">{variant.conversions.toLocaleString("en-US")}</td>
              <td className="num">{percent(variant.rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {test.winner ? (
        <p role="status" data-ab-winner={test.winner.variant}>
          <strong>Winner: variant {test.winner.variant}</strong> — {significance(test.winner.pValue)},{" "}
          {test.winner.significant ? "a significant difference" : "not a significant difference (it may be chance)"}; picked{" "}
          {test.winner.decidedBy === "manual" ? "by hand" : "when the window ended"} <Time at={test.winner.decidedAt ? new Date(test.winner.decidedAt) : null} /> and sent to the
          rest of the audience{test.restSendAt ? (
            <>
              {" "}
              at its send time, <Time at={new Date(test.restSendAt)} />
            </>
          ) : null}
          .
        </p>
      ) : test.leader ? (
        <p className="muted" data-ab-leader={test.leader.variant}>
          Ahead now: variant {test.leader.variant} — {significance(test.leader.pValue)}.
        </p>
      ) : (
        <p className="muted">The test starts when the campaign is sent.</p>
      )}
      {test.canPickNow && test.leader ? <PickAbWinnerForm workspaceId={workspaceId} campaignId={campaignId} leader={test.leader.variant} /> : null}
    </section>
  );
}
