import type { Db } from "@/db";
import type { ChannelPlan } from "@/db/queries/channel-plans";
import { getMessage } from "@/db/queries/messages";
import type { ChannelPlanProgress } from "@/db/schema";
import { deliverMessage, type Providers } from "@/lib/notifications/deliver-message";
import type { NotificationRequest } from "@/lib/notifications/notification-request";
import { requestNotification } from "@/lib/notifications/request-notification";
import { releaseHeldMessage } from "./release-message";
import { metrics } from "@/lib/observability/metrics";

/** A step's message id among the workspace's messages: never one a caller could choose (a caller's id has no `plan:` prefix of ours to collide with). */
export const planStepMessageKey = (planId: string, index: number) => `plan:${planId}:${index}`;

export type StartedStep = { messageId: string } | { skipped: string };

/**
 * Records step `index`'s message through the notification request path, once (its key is the
 * plan's and the step's). A channel the contact cannot receive (no address or number for it now)
 * is skipped with the reason.
 */
export async function startPlanStep(db: Db, plan: ChannelPlan, index: number): Promise<StartedStep> {
  const step = plan.steps[index]!;
  const outcome = await requestNotification(db, plan.workspaceId, {
    messageId: planStepMessageKey(plan.id, index),
    channel: step.channel,
    contactId: plan.contactId,
    category: plan.category ?? undefined,
    data: plan.data as NotificationRequest["data"],
    ...(step.templateId ? { templateId: step.templateId } : { subject: step.subject, body: step.body }),
  });
  if (!outcome.ok) {
    metrics().deliveryRules.inc({ rule: "plan_step_skipped", channel: step.channel });
    return { skipped: outcome.message };
  }
  return { messageId: outcome.message.id };
}

export type DeliveredStep = { outcome: "sent" | "suppressed" | "failed"; reason?: string };

/**
 * Sends a step's message now, in its own provider call (deliverMessage), after the category's
 * frequency cap: the plan has to know at once whether the message went, since a step whose
 * message is suppressed (opted out, on the suppression list, capped) or failed falls through to
 * the next one without waiting.
 */
export async function deliverPlanStep(db: Db, providers: Providers, ids: { workspaceId: string; messageId: string }, attempt?: number): Promise<DeliveredStep> {
  const release = await releaseHeldMessage(db, ids);
  if (release.outcome === "capped") return { outcome: "suppressed", reason: release.reason };
  const delivered = await deliverMessage(db, providers, { ...ids, attempt });
  if (delivered.outcome === "sent") {
    metrics().deliveryRules.inc({ rule: "plan_step_sent", channel: release.outcome === "released" ? release.channel : "unknown" });
    return { outcome: "sent" };
  }
  const message = await getMessage(db, ids);
  if (delivered.outcome === "skipped" && message && ["sent", "delivered", "opened", "clicked"].includes(message.status)) return { outcome: "sent" };
  return { outcome: message?.status === "suppressed" ? "suppressed" : "failed", reason: message?.error ?? undefined };
}

/**
 * Whether the contact engaged with a step's message: an in-app message seen (the inbox's
 * `inbox/message.seen`, passed in as `seen`), or any message opened or clicked (email tracking).
 * Delivery alone is not engagement: an SMS
 * delivered to a phone in a drawer has not reached the person.
 */
export async function planStepEngaged(db: Db, ids: { workspaceId: string; messageId: string }, seen: boolean): Promise<boolean> {
  if (seen) {
    metrics().deliveryRules.inc({ rule: "plan_engaged", channel: "in_app" });
    return true;
  }
  const message = await getMessage(db, ids);
  const engaged = message?.status === "opened" || message?.status === "clicked";
  if (engaged) metrics().deliveryRules.inc({ rule: "plan_engaged", channel: message.channel });
  return engaged;
}

export function stepProgress(messageId: string | null, outcome: ChannelPlanProgress["outcome"], reason?: string): Omit<ChannelPlanProgress, "at"> {
  return { messageId, outcome, ...(reason ? { reason } : {}) };
}
