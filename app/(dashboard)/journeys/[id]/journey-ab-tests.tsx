import { describeAbVariant } from "@/core/journeys/journey-ab-test";
import type { JourneyAbStepView } from "@/lib/journeys/journey-ab-test-view";
import { AbTestResults, abMetricLabel } from "../../_components/ab-test-results";
import { Time } from "../../_components/ui";
import { pickJourneyAbWinnerAction } from "../actions";

/**
 * The A/B tests of the published version's send steps: per step, its variants with the sample's
 * results, the winner with its significance (or the leader), and "Pick winner now" while it runs.
 */
export function JourneyAbTests({ steps, workspaceId, journeyId, version }: { steps: JourneyAbStepView[]; workspaceId: string; journeyId: string; version: number }) {
  if (steps.length === 0) return null;
  return (
    <section aria-label="A/B tests">
      <h2>A/B tests</h2>
      {steps.map((step) => {
        const metric = abMetricLabel(step.metric, step.goalEvent);
        return (
          <section key={step.stepId} aria-label={`A/B test of ${step.label}`} data-ab-step={step.stepId}>
            <h3>Step {step.label}</h3>
            <p className="muted">
              The first enrollments get a variant each until every variant has sent {step.sampleSize.toLocaleString("en-US")}; the winner by {metric.toLowerCase()} within{" "}
              {step.windowHours} hours of each send{" "}
              {step.decideAt ? (
                <>
                  is picked at <Time at={new Date(step.decideAt)} />
                </>
              ) : step.winner ? (
                "was picked"
              ) : (
                "is picked once the sample is sent and its window is over"
              )}
              , then every later enrollment gets it.
            </p>
            <AbTestResults
              label={`Variants of ${step.label}`}
              metric={metric}
              variants={step.variants.map((variant) => ({
                ...variant,
                changes: `${describeAbVariant({ subject: variant.subject ?? undefined, templateId: variant.templateId ?? undefined, from: variant.from ?? undefined, delayMinutes: variant.delayMinutes })} · ${variant.assigned.toLocaleString("en-US")} in the test${variant.afterWinner > 0 ? `, ${variant.afterWinner.toLocaleString("en-US")} after` : ""}`,
              }))}
              winner={step.winner}
              leader={step.leader}
              windowEnd="when the sample's window ended"
              sentTo="every enrollment since"
              notStarted="The test starts when the first enrollment reaches the step."
            >
              {step.canPickNow && step.leader ? (
                <form action={pickJourneyAbWinnerAction} className="inline-form">
                  <input type="hidden" name="workspace" value={workspaceId} />
                  <input type="hidden" name="journey" value={journeyId} />
                  <input type="hidden" name="version" value={version} />
                  <input type="hidden" name="step" value={step.stepId} />
                  <button type="submit">Pick winner now (variant {step.leader.variant})</button>
                </form>
              ) : null}
            </AbTestResults>
          </section>
        );
      })}
    </section>
  );
}
