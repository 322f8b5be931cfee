import { getDatabase } from "@/db";
import { getChannelPlan, savePlanProgress } from "@/db/queries/channel-plans";
import { getMessage } from "@/db/queries/messages";
import type { ChannelPlanProgress } from "@/db/schema";
import { inngest } from "@/inngest/client";
import { channelPlanRequested, inboxMessageSeen } from "@/inngest/events";
import { deliveryRules } from "@/lib/delivery/delivery-rules";
import { deliverPlanStep, planStepEngaged, startPlanStep, stepProgress } from "@/lib/delivery/plan-step";
import { createProviders } from "@/lib/providers/create-providers";
import { stepError } from "@/lib/providers/step-error";

/**
 * A channel plan, durably: each step's message is recorded, held through the contact's quiet
 * hours, sent, and then given the step's time to be engaged with; an in-app message waits for its
 * `inbox/message.seen` (step.waitForEvent on the message's id), any other channel sleeps and then
 * re-reads its message for an open or click. Engagement ends the plan; a step the contact cannot
 * receive, or whose message ends suppressed or failed, falls through to the next at once.
 * Progress is written to the plan after every step, so the API shows where it stands.
 */
export const runChannelPlan = inngest.createFunction(
  { id: "run-channel-plan", triggers: [channelPlanRequested], retries: 8 },
  async ({ event, step, attempt }) => {
    const ref = { workspaceId: event.data.workspaceId, planId: event.data.planId };
    const steps = await step.run("load-plan", async () => {
      const { db } = await getDatabase();
      const plan = await getChannelPlan(db, ref);
      return plan?.status === "running" ? plan.steps : [];
    });
    const progress: ChannelPlanProgress[] = [];
    // Rebuilt from the record steps' memoized results when the run replays, times included.
    const record = async (index: number, entry: Omit<ChannelPlanProgress, "at">, status?: "engaged" | "completed") => {
      const saved = await step.run(`record-step-${index}-${entry.outcome}`, async () => {
        const stamped: ChannelPlanProgress = { ...entry, at: new Date().toISOString() };
        const { db } = await getDatabase();
        await savePlanProgress(db, { ...ref, progress: [...progress.slice(0, index), stamped], status });
        return stamped;
      });
      progress[index] = saved;
    };

    for (const [index, planStep] of steps.entries()) {
      const last = index === steps.length - 1;
      const started = await step.run(`start-step-${index}`, async () => {
        const { db } = await getDatabase();
        return startPlanStep(db, (await getChannelPlan(db, ref))!, index);
      });
      if ("skipped" in started) {
        await record(index, stepProgress(null, "skipped", started.skipped), last ? "completed" : undefined);
        continue;
      }
      const ids = { workspaceId: ref.workspaceId, messageId: started.messageId };
      const quietUntil = await step.run(`check-quiet-hours-${index}`, async () => {
        const { db } = await getDatabase();
        const message = await getMessage(db, ids);
        return message ? (await deliveryRules(db, message)).quietUntil : null;
      });
      if (quietUntil) await step.sleepUntil(`wait-for-quiet-hours-${index}`, new Date(quietUntil));
      const delivered = await step.run(`deliver-step-${index}`, async () => {
        const { db } = await getDatabase();
        try {
          return await deliverPlanStep(db, createProviders(db), ids, attempt + 1);
        } catch (error) {
          throw stepError(error);
        }
      });
      if (delivered.outcome !== "sent" || last) {
        await record(index, stepProgress(ids.messageId, delivered.outcome, delivered.reason), last ? "completed" : undefined);
        continue;
      }
      await record(index, stepProgress(ids.messageId, "waiting"));
      let seen = false;
      if (planStep.channel === "in_app") {
        const seenEvent = await step.waitForEvent(`wait-for-seen-${index}`, {
          event: inboxMessageSeen,
          if: `async.data.messageId == '${ids.messageId}'`,
          timeout: `${planStep.waitSeconds}s`,
        });
        seen = seenEvent !== null;
      } else {
        await step.sleep(`wait-for-engagement-${index}`, `${planStep.waitSeconds}s`);
      }
      const engaged = await step.run(`check-engagement-${index}`, async () => {
        const { db } = await getDatabase();
        return planStepEngaged(db, ids, seen);
      });
      await record(index, stepProgress(ids.messageId, engaged ? "engaged" : "not_engaged"), engaged ? "engaged" : undefined);
      if (engaged) return { engagedAt: index };
    }
    return { engagedAt: null };
  },
);
