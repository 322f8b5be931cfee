import type { ReactNode } from "react";
import type { AbMetric } from "@/core/ab-tests/ab-test";
import { Time } from "./ui";

const METRIC_LABEL: Record<AbMetric, string> = { opens: "Opens (human)", clicks: "Clicks (human)", goal: "Goal" };

/** The conversion column's heading: the metric, and the goal's event name. */
export const abMetricLabel = (metric: AbMetric, goalEvent: string | null) => (metric === "goal" ? `${METRIC_LABEL.goal}: ${goalEvent}` : METRIC_LABEL[metric]);

const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`;
/** A p-value as people read it: never "0", and the confidence beside it. */
const significance = (pValue: number) => `p = ${pValue < 0.001 ? "< 0.001" : pValue.toFixed(3)} (${percent(1 - pValue)} confidence)`;

export type AbResultsVariant = { variant: string; changes: string; sent: number; conversions: number; rate: number };
export type AbResultsWinner = { variant: string; pValue: number; significant: boolean; decidedBy: "window" | "manual"; decidedAt: string | null };

/**
 * An A/B test's variants with their results, then the winner with its significance once picked
 * (or the leader while it runs) — the same for a campaign and a journey's send step; `sentTo`
 * finishes the winner's sentence, `windowEnd` says how the clock picks it.
 */
export function AbTestResults(props: {
  label?: string;
  metric: string;
  variants: AbResultsVariant[];
  winner: AbResultsWinner | null;
  leader: { variant: string; pValue: number } | null;
  windowEnd: string;
  sentTo: ReactNode;
  notStarted: string;
  children?: ReactNode;
}) {
  const { winner, leader } = props;
  return (
    <>
      <table className="data" aria-label={props.label ?? "Variants"}>
        <thead>
          <tr>
            <th scope="col">Variant</th>
            <th scope="col">Changes</th>
            <th scope="col" className="num">
              Sent
            </th>
            <th scope="col" className="num">
              {props.metric}
            </th>
            <th scope="col" className="num">
              Rate
            </th>
          </tr>
        </thead>
        <tbody>
          {props.variants.map((variant) => (
            <tr key={variant.variant} data-variant={variant.variant} data-winner={winner?.variant === variant.variant ? "true" : undefined}>
              <th scope="row">
                {variant.variant}
                {winner?.variant === variant.variant ? " (winner)" : ""}
              </th>
              <td>{variant.changes}</td>
              <td className="num">{variant.sent.toLocaleString("en-US")}</td>
              <td className="num">{variant.conversions.toLocaleString("en-US")}</td>
              <td className="num">{percent(variant.rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {winner ? (
        <p role="status" data-ab-winner={winner.variant}>
          <strong>Winner: variant {winner.variant}</strong> — {significance(winner.pValue)},{" "}
          {winner.significant ? "a significant difference" : "not a significant difference (it may be chance)"}; picked {winner.decidedBy === "manual" ? "by hand" : props.windowEnd}{" "}
          <Time at={winner.decidedAt ? new Date(winner.decidedAt) : null} /> and sent to {props.sentTo}.
        </p>
      ) : leader ? (
        <p className="muted" data-ab-leader={leader.variant}>
          Ahead now: variant {leader.variant} — {significance(leader.pValue)}.
        </p>
      ) : (
        <p className="muted">{props.notStarted}</p>
      )}
      {props.children}
    </>
  );
}
