import {
  effectiveZone,
  formatLocalDate,
  type LocalDate,
  localDateIn,
  nextDay,
  parseDateField,
  parseLocalDate,
  sendInstant,
} from "@/core/automations/date-schedule";
import { dateSendMessageKey } from "@/core/automations/zone-plan";
import type { Db } from "@/db";
import {
  claimDateSends,
  type DateAutomation,
  getDateAutomation,
  pauseDateAutomation,
  previewDateRecipients,
  recordDateSend,
  releaseDateSend,
} from "@/db/queries/date-automations";
import { getDeliverySettings } from "@/db/queries/delivery-settings";
import type { Message } from "@/db/queries/messages";
import { getTemplate } from "@/db/queries/templates";
import { type DeliveryPath, deliveryPath } from "@/lib/delivery/delivery-rules";
import { requestNotification } from "@/lib/notifications/request-notification";
import { categoryIssue } from "@/lib/preferences/category-issue";
import type { DateAutomationCreate } from "./date-automation-request";

/** Why an automation's settings are refused: a field error (400) or another workspace's template (404). */
export type SettingsIssue = { status: 400 | 404; field: string; message: string };

/**
 * Checks what an automation refers to, in this workspace: its template (404 when the workspace
 * has none by that id, invariant 5) of the same channel, and its category.
 */
export async function dateAutomationIssue(
  db: Db,
  workspaceId: string,
  settings: Pick<DateAutomationCreate, "channel" | "templateId" | "category">,
): Promise<SettingsIssue | null> {
  const template = await getTemplate(db, { workspaceId, templateId: settings.templateId });
  if (!template) return { status: 404, field: "templateId", message: "Template not found" };
  if (template.channel !== settings.channel) return { status: 400, field: "templateId", message: `the template is for ${template.channel}, not ${settings.channel}` };
  if (settings.category) {
    const issue = await categoryIssue(db, { workspaceId, key: settings.category });
    if (issue) return { status: 400, field: "category", message: issue };
  }
  return null;
}

/** A contact's message, queued, with the path its delivery event takes. */
export type QueuedDateSend = { message: Pick<Message, "id" | "workspaceId" | "idempotencyKey" | "channel" | "contactId">; path: DeliveryPath };

/**
 * `paused`: this page paused the automation (its template or category went away), with the reason;
 * `stopped`: it was no longer active (paused by a person, or deleted) before the page began.
 */
export type DatePageOutcome = { queued: QueuedDateSend[]; skipped: { contactId: string; reason: string }[]; paused: string | null; stopped: boolean };

/**
 * Sends an automation's message to a page of contacts whose date it is: claims each (automation,
 * contact, year) once, then queues a message on the ordinary path (requestNotification with a
 * deterministic messageId, then deliveryPath), so preferences, quiet hours, caps and credits
 * apply as for any notification. A contact without an address for the channel is skipped with
 * the reason. A template gone (or now of another channel) pauses the automation with the reason
 * and releases the page's unsent claims instead of failing every send. Returns the delivery events'
 * inputs as data: the function sends them.
 */
export async function sendDatePage(
  db: Db,
  params: { automation: DateAutomation; contactIds: string[]; year: number; now: Date },
): Promise<DatePageOutcome> {
  const { automation, year, now } = params;
  const outcome: DatePageOutcome = { queued: [], skipped: [], paused: null, stopped: false };
  const current = await getDateAutomation(db, { workspaceId: automation.workspaceId, automationId: automation.id });
  if (!current || current.status !== "active") return { ...outcome, stopped: true };
  const open = await claimDateSends(db, { automationId: automation.id, year, contactIds: params.contactIds, now });
  for (const contactId of open) {
    const request = await requestNotification(db, automation.workspaceId, {
      messageId: dateSendMessageKey(automation.id, contactId, year),
      channel: current.channel,
      contactId,
      templateId: current.templateId,
      category: current.category ?? undefined,
      data: {},
    });
    if (!request.ok) {
      if (request.field === "templateId" || request.field === "category") {
        const reason = `${request.field === "templateId" ? "template" : "category"}: ${request.message}`;
        await pauseDateAutomation(db, { workspaceId: automation.workspaceId, automationId: automation.id, reason, now });
        for (const id of open) await releaseDateSend(db, { automationId: automation.id, contactId: id, year });
        // Messages already queued by this page still go (their claims keep them); the rest are released.
        return { ...outcome, paused: reason };
      }
      await recordDateSend(db, { automationId: automation.id, contactId, year, messageId: null, skippedReason: request.message });
      outcome.skipped.push({ contactId, reason: request.message });
      continue;
    }
    const { message } = request;
    await recordDateSend(db, { automationId: automation.id, contactId, year, messageId: message.id, skippedReason: null });
    outcome.queued.push({
      message: { id: message.id, workspaceId: message.workspaceId, idempotencyKey: message.idempotencyKey, channel: message.channel, contactId: message.contactId },
      path: await deliveryPath(db, message, !request.created),
    });
  }
  return outcome;
}

/** The calendar day a preview is for: `today`/`tomorrow` in the workspace's zone, or a date. */
export function previewDay(day: string, now: Date, workspaceZone: string): LocalDate {
  const today = localDateIn(now, workspaceZone);
  if (day === "today") return today;
  if (day === "tomorrow") return nextDay(today);
  return parseLocalDate(day)!;
}

export type DatePreview = {
  day: string;
  count: number;
  sample: { contactId: string; email: string | null; phone: string | null; name: string | null; zone: string; localSendTime: string; sendAt: string }[];
};

/**
 * Who will get an automation on `day`, each contact on that day in its own zone: those whose
 * date falls on it (29 February on 28 February in other years), subscribed, visible, and not
 * already sent this year; a sample with each one's zone and local send time.
 */
export async function previewDateAutomation(
  db: Db,
  params: { automation: DateAutomation; day: string; sample: number; now: Date },
): Promise<DatePreview> {
  const { automation } = params;
  const settings = await getDeliverySettings(db, { workspaceId: automation.workspaceId });
  const date = previewDay(params.day, params.now, settings.timezone);
  const field = parseDateField(automation.dateField);
  if (!field) return { day: formatLocalDate(date), count: 0, sample: [] };
  const found = await previewDateRecipients(db, { workspaceId: automation.workspaceId, automationId: automation.id, field, date, sample: params.sample });
  const time = { hour: automation.sendHour, minute: automation.sendMinute };
  const clock = `${String(time.hour).padStart(2, "0")}:${String(time.minute).padStart(2, "0")}`;
  return {
    day: formatLocalDate(date),
    count: found.count,
    sample: found.sample.map((contact) => {
      const zone = effectiveZone(contact.timezone, settings.timezone);
      const name = [contact.firstName, contact.lastName].filter(Boolean).join(" ") || null;
      return { contactId: contact.id, email: contact.email, phone: contact.phone, name, zone, localSendTime: `${formatLocalDate(date)}T${clock}`, sendAt: sendInstant(date, time, zone).toISOString() };
    }),
  };
}
