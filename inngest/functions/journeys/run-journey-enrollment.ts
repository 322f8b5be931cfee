import { nodeById } from "@/core/journeys/graph";
import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { deliveryEvent } from "@/inngest/delivery-event";
import { contactEventReceived, engagementObserved, journeyEnrollmentStarted, journeyResumed } from "@/inngest/events";
import { failEnrollment, loadEnrollmentRun } from "@/lib/journeys/load-enrollment-run";
import { type Arrival, type SentMessage, type StepResult, takeJourneyStep } from "@/lib/journeys/take-step";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

/** Steps one run may reach (counting loops through waits); with at most 2 Inngest steps each, well under Inngest's 1,000 per run. */
export const JOURNEY_MAX_HOPS = 300;
/** A held enrollment re-checks the journey at least this often, should it miss the resume event. */
const HOLD_RECHECK = "1d";

/**
 * One durable run per enrollment, walking the published version it entered on. Each step of the
 * graph costs one `step.run` (re-read, record, act) plus at most one more: the send's
 * `step.sendEvent` onto the ordinary delivery path, `step.sleep(Until)` for a wait, or
 * `step.waitForEvent` for an open, a click or a custom event — so N steps cost at most 2N + 1
 * executions, plus two for each A/B send whose variant sends later (the sleep, then the send's
 * own `step.run`). The goal event cancels the run (`cancelOn`; exit-journey-on-goal records it). A
 * paused journey holds the run at its next step until `journey/journey.resumed`.
 */
export const runJourneyEnrollment = inngest.createFunction(
  {
    id: "run-journey-enrollment",
    triggers: [journeyEnrollmentStarted],
    cancelOn: [{ event: contactEventReceived, if: "async.data.contactId == event.data.contactId && async.data.name == event.data.goalEventName" }],
    retries: 4,
    onFailure: async ({ event, error, step }) => {
      const { workspaceId, enrollmentId, journeyId } = event.data.event.data;
      await step.run("mark-enrollment-failed", async () => {
        const { db } = await getDatabase();
        if (await failEnrollment(db, { workspaceId, enrollmentId, status: "failed", reason: "error", now: new Date() })) metrics().journeyExits.inc({ status: "failed", reason: "error" });
        logger.error({ workspaceId, journeyId, enrollmentId, err: error }, "journeys: enrollment run failed");
      });
    },
  },
  async ({ event, step }) => {
    const { workspaceId, enrollmentId, journeyId, contactId } = event.data;
    const run = await step.run("load-version", async () => loadEnrollmentRun((await getDatabase()).db, { workspaceId, enrollmentId }));
    if (!run) return { skipped: "not active" };
    const graph = run.graph;

    let nodeId = graph.start!;
    let arrival: Arrival | null = null;
    let lastSend: SentMessage | null = null;
    const sends: Record<string, string> = {};
    const visits: Record<string, number> = {};
    // A send whose A/B variant waits first comes back to the same visit of its step to send.
    let delayed = false;
    for (let hop = 0; hop < JOURNEY_MAX_HOPS; hop++) {
      const node = nodeById(graph, nodeId)!;
      const visit = delayed ? visits[node.id]! : (visits[node.id] = (visits[node.id] ?? 0) + 1);
      const key = `${node.id}-${visit}`;
      const stepKey = delayed ? `${key}-delayed` : key;
      const afterDelay = delayed;
      delayed = false;
      let result: StepResult;
      for (let hold = 0; ; hold++) {
        result = (await step.run(hold === 0 ? `step-${stepKey}` : `step-${stepKey}-resumed-${hold}`, async () => {
          const taken = await takeJourneyStep((await getDatabase()).db, { workspaceId, enrollmentId, node, visit, arrival, sends, lastSend, delayed: afterDelay, now: new Date() });
          // Counted inside the step: code outside steps runs again on every replay of the run.
          if (taken.kind !== "ended" && taken.kind !== "exited") metrics().journeySteps.inc({ type: node.type, outcome: taken.kind === "held" ? "held" : "passed" });
          return taken;
        })) as StepResult;
        if (result.kind !== "held") break;
        await step.waitForEvent(`hold-${stepKey}-${hold + 1}`, { event: journeyResumed, if: `async.data.journeyId == '${journeyId}'`, timeout: HOLD_RECHECK });
      }
      if (result.kind === "ended") return { ended: "before", step: node.id };
      if (result.kind === "exited") {
        metrics().journeyExits.inc({ status: result.reason === "completed" ? "completed" : "exited", reason: result.reason });
        logger.info({ workspaceId, journeyId, enrollmentId, contactId, step: node.id, reason: result.reason }, "journeys: enrollment ended");
        return { exited: result.reason, step: node.id };
      }
      arrival = null;
      switch (result.kind) {
        case "next":
          if (result.deliver) await step.sendEvent(`deliver-${key}`, deliveryEvent(result.deliver.path, result.deliver.message));
          if (result.sent) {
            sends[result.sent.nodeId] = result.sent.messageId;
            lastSend = result.sent;
          }
          nodeId = result.next;
          break;
        case "delaySend":
          // The variant's send time: a durable sleep as a wait step's, then this step again.
          await step.sleepUntil(`delay-${key}`, new Date(result.until));
          delayed = true;
          break;
        case "sleep":
          await step.sleepUntil(`wait-${key}`, new Date(result.until));
          arrival = { stepId: node.id, branch: "next", detail: {} };
          nodeId = result.next;
          break;
        case "waitForEngagement": {
          const types = result.type === "opened" ? "(async.data.type == 'opened' || async.data.type == 'clicked')" : "async.data.type == 'clicked'";
          const seen = await step.waitForEvent(`wait-for-${key}`, {
            event: engagementObserved,
            // Machine opens (mail privacy proxies, scanners) are not a person reading.
            if: `async.data.messageId == '${result.messageId}' && ${types} && async.data.machine == null`,
            timeout: `${Math.ceil(result.timeoutMs / 1000)}s`,
          });
          arrival = { stepId: node.id, branch: seen ? "event" : "timeout", detail: { messageId: result.messageId }, data: { [result.type]: Boolean(seen), [node.id]: seen ? "event" : "timeout" } };
          nodeId = seen ? result.onEvent : result.onTimeout;
          break;
        }
        case "waitForEvent": {
          const seen = await step.waitForEvent(`wait-for-${key}`, {
            event: contactEventReceived,
            if: `async.data.contactId == '${contactId}' && async.data.name == ${JSON.stringify(result.eventName)}`,
            timeout: `${Math.ceil(result.timeoutMs / 1000)}s`,
          });
          arrival = { stepId: node.id, branch: seen ? "event" : "timeout", detail: seen ? { contactEventId: seen.data.contactEventId } : {}, data: { [node.id]: seen ? "event" : "timeout" } };
          nodeId = seen ? result.onEvent : result.onTimeout;
          break;
        }
      }
    }
    await step.run("end-step-limit", async () => {
      const { db } = await getDatabase();
      if (await failEnrollment(db, { workspaceId, enrollmentId, status: "exited", reason: "step_limit", now: new Date() })) metrics().journeyExits.inc({ status: "exited", reason: "step_limit" });
    });
    return { exited: "step_limit" };
  },
);
