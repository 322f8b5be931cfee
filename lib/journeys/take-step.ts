import { abVariantLabel } from "@/core/ab-tests/ab-test";
import { evaluateCondition } from "@/core/journeys/condition";
import type { JourneyAbVariant } from "@/core/journeys/journey-ab-test";
import { durationMs, type JourneyNode } from "@/core/journeys/graph";
import { nextLocalTime } from "@/core/journeys/local-time";
import { pickSplitExit } from "@/core/journeys/random-split";
import type { Db } from "@/db";
import { getContact, isContactHidden, updateContact } from "@/db/queries/contacts";
import { getDeliverySettings } from "@/db/queries/delivery-settings";
import { endEnrollment, getEnrollment, getJourney, insertStepEvents, moveEnrollment, setJourneyStatus, type StepEventInput } from "@/db/queries/journeys";
import { addListMembers, getList, removeListMembers } from "@/db/queries/lists";
import { recordJourneyAbMessage } from "@/db/queries/journey-ab-tests";
import { getMessage, type Message } from "@/db/queries/messages";
import { deliveryPath, type DeliveryPath } from "@/lib/delivery/delivery-rules";
import { requestNotification } from "@/lib/notifications/request-notification";
import { assignAbVariant } from "./assign-ab-variant";
import { callJourneyWebhook } from "./journey-webhook";

/** How the run arrived at a step: the waiting step it left and the exit it took, recorded as `passed` by the step it reached. */
export type Arrival = { stepId: string; branch: string; detail: Record<string, unknown>; data?: Record<string, unknown> };
export type SentMessage = { nodeId: string; messageId: string };

export type StepResult =
  /** The enrollment is no longer active (the goal ended it, or a replay already finished it). */
  | { kind: "ended" }
  /** It left here: erased, unsubscribed, journey archived, or the exit step reached. */
  | { kind: "exited"; reason: string }
  /** The journey is paused (by a person, or because this step's template or list is gone): hold until resumed. */
  | { kind: "held"; reason: string }
  | { kind: "next"; next: string; deliver?: { path: DeliveryPath; message: Pick<Message, "id" | "workspaceId" | "idempotencyKey" | "channel" | "contactId"> }; sent?: SentMessage }
  | { kind: "sleep"; until: string; next: string }
  /** An A/B send-time variant: sleep until `until`, then take the same step again with `delayed` to send. */
  | { kind: "delaySend"; until: string }
  | { kind: "waitForEngagement"; messageId: string; type: "opened" | "clicked"; timeoutMs: number; onEvent: string; onTimeout: string }
  | { kind: "waitForEvent"; eventName: string; timeoutMs: number; onEvent: string; onTimeout: string };

export type TakeStep = {
  workspaceId: string;
  enrollmentId: string;
  node: JourneyNode;
  /** How many times this run has reached the step (loops through waits), from 1: part of a send's messageId. */
  visit: number;
  arrival: Arrival | null;
  /** The last message this run sent, which an open/click wait without `sendNodeId` waits on. */
  sends: Record<string, string>;
  lastSend: SentMessage | null;
  /** The step's A/B send-time delay is over: send now (its `entered` is already on the timeline). */
  delayed?: boolean;
  now: Date;
};

/**
 * One step of an enrollment, in one Inngest step: re-reads the enrollment, the journey and the
 * contact (they may have changed during a wait), leaves when the contact is gone or unsubscribed,
 * holds when the journey is paused, otherwise records the previous waiting step as passed, this
 * one as entered, does the step's work and says what the run does next. Every exit is named in
 * the timeline so per-step counts add up.
 */
export async function takeJourneyStep(db: Db, input: TakeStep): Promise<StepResult> {
  const { workspaceId, node, now } = input;
  const enrollment = await getEnrollment(db, { workspaceId, enrollmentId: input.enrollmentId });
  if (!enrollment || enrollment.status !== "active") return { kind: "ended" };
  const record = (events: StepEventInput[]) => insertStepEvents(db, { enrollment, events, now });
  const where = input.arrival?.stepId ?? enrollment.currentStepId ?? node.id;
  const leave = async (reason: string, status: "completed" | "exited" = "exited"): Promise<StepResult> => {
    if (await endEnrollment(db, { enrollmentId: enrollment.id, status, reason, now })) await record([{ stepId: where, type: "exited", detail: { reason } }]);
    return { kind: "exited", reason };
  };

  const journey = await getJourney(db, { workspaceId, journeyId: enrollment.journeyId });
  if (!journey || journey.status === "archived") return leave("archived");
  const contact = await getContact(db, { workspaceId, contactId: enrollment.contactId });
  if (!contact) return leave((await isContactHidden(db, { workspaceId, contactId: enrollment.contactId })) ? "erased" : "contact_deleted");
  if (contact.status === "unsubscribed") return leave("unsubscribed");
  if (journey.status === "paused") return { kind: "held", reason: journey.statusReason ?? "paused" };
  const pause = async (reason: string): Promise<StepResult> => {
    await setJourneyStatus(db, { workspaceId, journeyId: journey.id, status: "paused", from: ["active"], reason, now });
    return { kind: "held", reason };
  };

  const events: StepEventInput[] = [];
  if (input.arrival) events.push({ stepId: input.arrival.stepId, type: "passed", detail: { branch: input.arrival.branch, ...input.arrival.detail } });
  if (!input.delayed) events.push({ stepId: node.id, type: "entered" });
  const data = { ...enrollment.data, ...input.arrival?.data };
  const move = async (to: string, extra: StepEventInput[] = []) => {
    await record([...events, ...extra]);
    await moveEnrollment(db, { enrollmentId: enrollment.id, stepId: to, data: input.arrival?.data });
  };
  const pass = async (branch: string, next: string, detail: Record<string, unknown> = {}) => {
    await move(next, [{ stepId: node.id, type: "passed", detail: { branch, ...detail } }]);
  };

  switch (node.type) {
    case "exit":
      await record(events);
      await moveEnrollment(db, { enrollmentId: enrollment.id, stepId: node.id, data: input.arrival?.data });
      if (await endEnrollment(db, { enrollmentId: enrollment.id, status: "completed", reason: "completed", now })) await record([{ stepId: node.id, type: "exited", detail: { reason: "completed" } }]);
      return { kind: "exited", reason: "completed" };

    case "send": {
      const ab = node.abTest ? await assignAbVariant(db, { enrollment, nodeId: node.id, test: node.abTest, visit: input.visit, now }) : null;
      const variant: JourneyAbVariant = ab ? node.abTest!.variants[ab.variant]! : {};
      // The timeline names the variant; `winner` marks one given after the test was decided.
      const shown = ab ? { variant: abVariantLabel(ab.variant), ...(ab.sample ? {} : { winner: true }) } : {};
      if (ab && variant.delayMinutes && !input.delayed) {
        // From the recorded assignment, so a retried step sleeps until the same instant.
        const until = new Date(ab.assignedAt.getTime() + variant.delayMinutes * 60_000);
        await move(node.id, [{ stepId: node.id, type: "waiting", detail: { ...shown, until: until.toISOString() } }]);
        return { kind: "delaySend", until: until.toISOString() };
      }
      const templateId = variant.templateId ?? node.templateId;
      const messageKey = `journey-${enrollment.id}-${node.id}${input.visit > 1 ? `-${input.visit}` : ""}`;
      const outcome = await requestNotification(
        db,
        workspaceId,
        {
          messageId: messageKey,
          channel: node.channel,
          contactId: contact.id,
          templateId,
          category: node.category,
          data: { journey: { id: journey.id, name: journey.name, step: node.id } },
        },
        { subject: variant.subject, from: variant.from },
      );
      if (!outcome.ok) {
        if (outcome.field === "templateId" || outcome.field === "category") return pause(`step ${node.id}: ${outcome.message.toLowerCase()} (${outcome.field === "templateId" ? templateId : node.category})`);
        await pass("next", node.next!, { skipped: outcome.message, ...shown });
        return { kind: "next", next: node.next! };
      }
      const { message } = outcome;
      if (ab) await recordJourneyAbMessage(db, { enrollmentId: enrollment.id, nodeId: node.id, visit: input.visit, messageId: message.id, now });
      await pass("next", node.next!, { messageId: message.id, ...shown });
      const path = await deliveryPath(db, message, !outcome.created);
      return {
        kind: "next",
        next: node.next!,
        deliver: { path, message: { id: message.id, workspaceId: message.workspaceId, idempotencyKey: message.idempotencyKey, channel: message.channel, contactId: message.contactId } },
        sent: { nodeId: node.id, messageId: message.id },
      };
    }

    case "wait": {
      let until: Date;
      if (node.duration) until = new Date(now.getTime() + durationMs(node.duration));
      else {
        const zone = contact.timezone ?? (await getDeliverySettings(db, { workspaceId })).timezone;
        until = safeNextLocalTime(now, node.untilLocalTime!, zone);
      }
      await move(node.id, [{ stepId: node.id, type: "waiting", detail: { until: until.toISOString() } }]);
      return { kind: "sleep", until: until.toISOString(), next: node.next! };
    }

    case "waitForEvent": {
      const timeoutMs = durationMs(node.timeout);
      if (node.event === "custom") {
        await move(node.id, [{ stepId: node.id, type: "waiting", detail: { event: node.eventName, timeoutMs } }]);
        return { kind: "waitForEvent", eventName: node.eventName!, timeoutMs, onEvent: node.onEvent!, onTimeout: node.onTimeout! };
      }
      const messageId = node.sendNodeId ? input.sends[node.sendNodeId] : input.lastSend?.messageId;
      const message = messageId ? await getMessage(db, { workspaceId, messageId }) : undefined;
      if (!message) {
        // The send it waits on was skipped (no address): nothing can be opened.
        await pass("timeout", node.onTimeout!, { reason: "no message to wait on" });
        return { kind: "next", next: node.onTimeout! };
      }
      // Engaged before the wait began (a fast open): no event will come, take the exit now.
      if ((node.event === "opened" ? message.openedAt : message.clickedAt) ?? (node.event === "opened" && message.clickedAt)) {
        await move(node.onEvent!, [{ stepId: node.id, type: "passed", detail: { branch: "event", messageId: message.id } }]);
        return { kind: "next", next: node.onEvent! };
      }
      await move(node.id, [{ stepId: node.id, type: "waiting", detail: { event: node.event, messageId: message.id, timeoutMs } }]);
      return { kind: "waitForEngagement", messageId: message.id, type: node.event, timeoutMs, onEvent: node.onEvent!, onTimeout: node.onTimeout! };
    }

    case "branch": {
      const { value, error } = evaluateCondition(node.condition, {
        contact: { id: contact.id, email: contact.email, phone: contact.phone, firstName: contact.firstName, lastName: contact.lastName, locale: contact.locale, timezone: contact.timezone, attributes: contact.attributes },
        event: enrollment.trigger,
        journey: data,
      });
      const next = value ? node.onTrue! : node.onFalse!;
      await pass(value ? "true" : "false", next, error ? { error } : {});
      return { kind: "next", next };
    }

    case "randomSplit": {
      const index = pickSplitExit(enrollment.id, node.id, node.exits.map((exit) => exit.weight));
      const next = node.exits[index]!.next!;
      await pass(`split-${index + 1}`, next);
      return { kind: "next", next };
    }

    case "updateContact": {
      const set = Object.fromEntries(Object.entries(node.attributes).filter(([, value]) => value !== null)) as Record<string, string | number | boolean>;
      const remove = Object.keys(node.attributes).filter((key) => node.attributes[key] === null);
      await updateContact(db, { workspaceId, contactId: contact.id, changes: { attributes: { set, remove } } });
      await pass("next", node.next!);
      return { kind: "next", next: node.next! };
    }

    case "addToList":
    case "removeFromList": {
      const list = await getList(db, { workspaceId, listId: node.listId });
      if (!list) return pause(`step ${node.id}: list not found (${node.listId})`);
      const change = node.type === "addToList" ? addListMembers : removeListMembers;
      await change(db, { workspaceId, listId: list.id, contactIds: [contact.id] });
      await pass("next", node.next!);
      return { kind: "next", next: node.next! };
    }

    case "webhook": {
      const answer = await callJourneyWebhook(node.url, { journeyId: journey.id, version: enrollment.version, enrollmentId: enrollment.id, contactId: contact.id, stepId: node.id });
      await pass("next", node.next!, answer);
      return { kind: "next", next: node.next! };
    }
  }
}

/** An unknown zone (stored before validation) waits in UTC rather than failing the enrollment. */
function safeNextLocalTime(now: Date, hhmm: string, zone: string): Date {
  try {
    return nextLocalTime(now, hhmm, zone);
  } catch {
    return nextLocalTime(now, hhmm, "UTC");
  }
}
