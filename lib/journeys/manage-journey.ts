import { emailSenderIssue } from "@/core/contacts/email-sender-issue";
import { journeyReferences, type JourneyGraphError, validateJourneyGraph } from "@/core/journeys/validate-graph";
import type { Db } from "@/db";
import { getList } from "@/db/queries/lists";
import { getJourney, type Journey, publishJourneyVersion, setJourneyStatus } from "@/db/queries/journeys";
import { getTemplate } from "@/db/queries/templates";
import { isProductionServer } from "@/lib/config/production-problems";

export type PublishOutcome =
  | { ok: true; journey: Journey; version: number; /** Its trigger is a segment: the caller starts the fan-out (segmentEnrollmentEvent). */ segmentTriggered: boolean }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "archived" }
  | { ok: false; reason: "invalid"; errors: JourneyGraphError[] };

/**
 * Publishes the journey's draft as its next version after checking it: the graph's own rules
 * (core/journeys/validate-graph) and its references — every send's template and every list step's
 * list must exist in this workspace, a template on the send's channel. Running enrollments stay on
 * the version they entered on; new ones take this one.
 */
export async function publishJourney(db: Db, params: { workspaceId: string; journeyId: string; publishedBy: string; now: Date }): Promise<PublishOutcome> {
  const journey = await getJourney(db, params);
  if (!journey) return { ok: false, reason: "not_found" };
  if (journey.status === "archived") return { ok: false, reason: "archived" };
  const check = validateJourneyGraph(journey.draft, { allowHttpWebhooks: !isProductionServer() });
  if (!check.ok) return { ok: false, reason: "invalid", errors: check.errors };
  const errors: JourneyGraphError[] = [];
  for (const reference of journeyReferences(check.graph)) {
    if (reference.kind === "template") {
      const template = await getTemplate(db, { workspaceId: params.workspaceId, templateId: reference.id });
      if (!template) errors.push({ nodeId: reference.nodeId, field: reference.field, message: "no such template in this workspace" });
      else if (template.channel !== reference.channel) errors.push({ nodeId: reference.nodeId, field: reference.field, message: `the template is for ${template.channel}, not ${reference.channel}` });
    } else if (!(await getList(db, { workspaceId: params.workspaceId, listId: reference.id }))) {
      errors.push({ nodeId: reference.nodeId, field: reference.field, message: "no such list in this workspace" });
    }
  }
  // An A/B variant's sender is checked here, not in core: the address check needs node:url, which the canvas's browser bundle has not.
  for (const node of check.graph.nodes) {
    if (node.type !== "send" || node.channel !== "email") continue;
    for (const [index, variant] of (node.abTest?.variants ?? []).entries()) {
      const issue = variant.from === undefined ? null : emailSenderIssue(variant.from);
      if (issue) errors.push({ nodeId: node.id, field: `abTest.variants.${index}.from`, message: issue });
    }
  }
  if (errors.length > 0) return { ok: false, reason: "invalid", errors };
  const published = await publishJourneyVersion(db, { ...params, graph: check.graph });
  return published ? { ok: true, ...published, segmentTriggered: check.graph.trigger.type === "segment" } : { ok: false, reason: "not_found" };
}

export type StatusAction = "pause" | "resume" | "archive";

/**
 * Pause holds running enrollments at their next step and enrolls no one; resume lets them go on
 * (the caller sends `journey/journey.resumed`); archive ends them at their next step. Resume needs
 * a published version. Undefined: no such journey; null: not allowed from its status.
 */
export async function changeJourneyStatus(db: Db, params: { workspaceId: string; journeyId: string; action: StatusAction; reason?: string; now: Date }): Promise<Journey | null | undefined> {
  const journey = await getJourney(db, params);
  if (!journey) return undefined;
  const base = { workspaceId: params.workspaceId, journeyId: params.journeyId, now: params.now };
  switch (params.action) {
    case "pause":
      return (await setJourneyStatus(db, { ...base, status: "paused", from: ["active"], reason: params.reason ?? "paused by a person" })) ?? null;
    case "resume":
      if (journey.publishedVersion === null) return null;
      return (await setJourneyStatus(db, { ...base, status: "active", from: ["paused"], reason: null })) ?? null;
    case "archive":
      return (await setJourneyStatus(db, { ...base, status: "archived", from: ["draft", "active", "paused"], reason: params.reason ?? null })) ?? null;
  }
}
