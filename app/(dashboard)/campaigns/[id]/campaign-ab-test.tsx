import type { AbTestView } from "@/lib/campaigns/ab-test-view";
import { AbTestResults, abMetricLabel } from "../../_components/ab-test-results";
import { Time } from "../../_components/ui";
import { PickAbWinnerForm } from "./pick-ab-winner-form";

/** A send-time variant's time: when its sample went (or goes) out, else its delay. */
function sendTime(variant: AbTestView["variants"][number]): string | null {
  if (variant.sendDelayMinutes === null) return null;
  const delay = variant.sendDelayMinutes === 0 ? "at the start" : `${variant.sendDelayMinutes.toLocaleString("en-US")} min after the start`;
  return variant.sendAt ? `Sent ${delay} (${variant.sendAt.slice(11, 16)} UTC)` : `Sent ${delay}`;
}

/** An A/B campaign's variants with their live results, and the winner with its significance once picked. */
export function CampaignAbTest({ test, workspaceId, campaignId }: { test: AbTestView; workspaceId: string; campaignId: string }) {
  const metric = abMetricLabel(test.metric, test.goalEvent);
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
      <AbTestResults
        metric={metric}
        variants={test.variants.map((variant) => ({
          ...variant,
          changes: [variant.subject ? `Subject “${variant.subject}”` : null, variant.templateId ? "another template" : null, variant.from ? `From ${variant.from}` : null, sendTime(variant)].filter(Boolean).join(" · "),
        }))}
        winner={test.winner}
        leader={test.leader}
        windowEnd="when the window ended"
        sentTo={
          test.restSendAt ? (
            <>
              the rest of the audience at its send time, <Time at={new Date(test.restSendAt)} />
            </>
          ) : (
            "the rest of the audience"
          )
        }
        notStarted="The test starts when the campaign is sent."
      >
        {test.canPickNow && test.leader ? <PickAbWinnerForm workspaceId={workspaceId} campaignId={campaignId} leader={test.leader.variant} /> : null}
      </AbTestResults>
    </section>
  );
}
