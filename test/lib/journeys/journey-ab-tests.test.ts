import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { getJourneyAbAssignment, getJourneyAbTest, journeyAbVariantCounts, listOpenJourneyAbTests } from "@/db/queries/journey-ab-tests";
import { insertEnrollment, insertJourney, listStepEvents } from "@/db/queries/journeys";
import { advanceMessageStatus, getMessage } from "@/db/queries/messages";
import { insertTemplate } from "@/db/queries/templates";
import { contacts } from "@/db/schema";
import { journeyGraph, type JourneyNode } from "@/core/journeys/graph";
import { recordEngagement } from "@/lib/analytics/record-engagement";
import { journeyAbTestsView } from "@/lib/journeys/journey-ab-test-view";
import { publishJourney } from "@/lib/journeys/manage-journey";
import { settleJourneyAbTest } from "@/lib/journeys/settle-journey-ab-test";
import { takeJourneyStep } from "@/lib/journeys/take-step";
import { metrics } from "@/lib/observability/metrics";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { collectLogLines } from "@/test/support/log-lines";

let database: Database;
let workspaceId: string;
let templateId: string;
let templateB: string;
const HOUR = 3_600_000;
const t0 = new Date("2026-12-07T09:00:00Z");

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Journey A/B" }));
  templateId = (await insertTemplate(database.db, { workspaceId, channel: "email", name: "Welcome", subject: "Welcome", body: "<p>Hi</p>" }))!.id;
  templateB = (await insertTemplate(database.db, { workspaceId, channel: "email", name: "Welcome B", subject: "Welcome B", body: "<p>Hi B</p>" }))!.id;
});
afterAll(() => database.close());

/** A published journey whose first step is an A/B send, and `size` contacts enrolled on it. */
async function journeyWith(abTest: Record<string, unknown>, size: number) {
  const draft = {
    trigger: { type: "event", eventName: "signup" },
    start: "welcome",
    nodes: [
      { id: "welcome", type: "send", channel: "email", templateId, abTest, next: "done" },
      { id: "done", type: "exit" },
    ],
  };
  const journey = await insertJourney(database.db, { workspaceId, name: `ab-${randomUUID().slice(0, 6)}`, draft, savedBy: "test", now: t0 });
  const published = await publishJourney(database.db, { workspaceId, journeyId: journey.id, publishedBy: "test", now: t0 });
  if (!published.ok) throw new Error(JSON.stringify(published));
  const node = journeyGraph.parse(draft).nodes[0]! as JourneyNode;
  const enrollments = [];
  for (let i = 0; i < size; i++) enrollments.push(await enroll(journey.id));
  return { journeyId: journey.id, node, enrollments };
}

async function enroll(journeyId: string) {
  const [contact] = await database.db.insert(contacts).values({ workspaceId, email: `${randomUUID()}@example.com` }).returning();
  return (await insertEnrollment(database.db, { workspaceId, journeyId, version: 1, contactId: contact!.id, trigger: {}, startStepId: "welcome", now: t0 }))!;
}

const take = (node: JourneyNode, enrollmentId: string, now: Date, delayed = false) =>
  takeJourneyStep(database.db, { workspaceId, enrollmentId, node, visit: 1, arrival: null, sends: {}, lastSend: null, delayed, now });

/** What the delivery path does when the message leaves: sent at `at`. */
async function sentAt(enrollmentId: string, at: Date) {
  const assignment = (await getJourneyAbAssignment(database.db, { enrollmentId, nodeId: "welcome", visit: 1 }))!;
  await advanceMessageStatus(database.db, { workspaceId, messageId: assignment.messageId!, to: "sent", at });
  return assignment;
}

describe("an A/B send step", () => {
  it("gives each enrollment a variant, records it with its message and the subject override, and a repeat changes nothing", async () => {
    const { node, enrollments } = await journeyWith({ metric: "opens", variants: [{ subject: "Subject A" }, { subject: "Subject B", templateId: templateB }] }, 20);
    for (const enrollment of enrollments) await take(node, enrollment.id, t0);
    const assignments = await Promise.all(enrollments.map((e) => getJourneyAbAssignment(database.db, { enrollmentId: e.id, nodeId: "welcome", visit: 1 })));
    expect(new Set(assignments.map((a) => a!.variant))).toEqual(new Set([0, 1]));
    expect(assignments.every((a) => a!.sample && a!.messageId)).toBe(true);

    const first = assignments[0]!;
    const message = (await getMessage(database.db, { workspaceId, messageId: first.messageId! }))!;
    expect(message.request.subject).toBe(first.variant === 0 ? "Subject A" : "Subject B");
    expect(message.templateId).toBe(first.variant === 0 ? templateId : templateB);
    expect(await listStepEvents(database.db, { enrollmentId: first.enrollmentId })).toContainEqual(
      expect.objectContaining({ stepId: "welcome", type: "passed", detail: expect.objectContaining({ variant: first.variant === 0 ? "A" : "B", messageId: message.id }) }),
    );

    // A retried step: the same variant, the same message, no second row.
    await take(node, first.enrollmentId, new Date(t0.getTime() + HOUR));
    expect(await getJourneyAbAssignment(database.db, { enrollmentId: first.enrollmentId, nodeId: "welcome", visit: 1 })).toEqual(first);
  });

  it("sleeps a send-time variant first, until the same instant on a retry, then sends it", async () => {
    const { node, enrollments } = await journeyWith({ metric: "clicks", variants: [{ delayMinutes: 90 }, { delayMinutes: 90, subject: "Later B" }] }, 1);
    const until = new Date(t0.getTime() + 90 * 60_000).toISOString();
    expect(await take(node, enrollments[0]!.id, t0)).toEqual({ kind: "delaySend", until });
    expect(await take(node, enrollments[0]!.id, new Date(t0.getTime() + 60_000))).toEqual({ kind: "delaySend", until });
    const before = (await listStepEvents(database.db, { enrollmentId: enrollments[0]!.id })).length;
    expect(await take(node, enrollments[0]!.id, new Date(until), true)).toMatchObject({ kind: "next", next: "done" });
    // After the delay the step only records what it sent: its entry is already on the timeline.
    const after = (await listStepEvents(database.db, { enrollmentId: enrollments[0]!.id })).slice(before);
    expect(after).toEqual([expect.objectContaining({ stepId: "welcome", type: "passed", detail: expect.objectContaining({ variant: expect.stringMatching(/^[AB]$/) }) })]);
  });
});

describe("publishing an A/B send step", () => {
  it("refuses a variant's unknown template and bad sender, naming the step and the field", async () => {
    const draft = {
      trigger: { type: "event", eventName: "signup" },
      start: "welcome",
      nodes: [
        { id: "welcome", type: "send", channel: "email", templateId, abTest: { metric: "opens", variants: [{ from: "not an address" }, { templateId: randomUUID() }] }, next: "done" },
        { id: "done", type: "exit" },
      ],
    };
    const journey = await insertJourney(database.db, { workspaceId, name: "refused", draft, savedBy: "test", now: t0 });
    expect(await publishJourney(database.db, { workspaceId, journeyId: journey.id, publishedBy: "test", now: t0 })).toEqual({
      ok: false,
      reason: "invalid",
      errors: [
        { nodeId: "welcome", field: "abTest.variants.1.templateId", message: "no such template in this workspace" },
        { nodeId: "welcome", field: "abTest.variants.0.from", message: expect.stringContaining("address") },
      ],
    });
  });
});

describe("deciding a journey's A/B test", () => {
  it("counts the sample's sends and human opens within the window, waits for the window, records B once, then gives everyone B", async () => {
    const { journeyId, node, enrollments } = await journeyWith({ metric: "opens", sampleSize: 4, windowHours: 24, variants: [{ subject: "A" }, { subject: "B" }] }, 16);
    for (const enrollment of enrollments) await take(node, enrollment.id, t0);
    const byVariant: Record<number, string[]> = { 0: [], 1: [] };
    for (const [i, enrollment] of enrollments.entries()) {
      const assignment = await sentAt(enrollment.id, new Date(t0.getTime() + i * 60_000));
      byVariant[assignment.variant]!.push(assignment.messageId!);
    }
    expect(byVariant[0]!.length).toBeGreaterThanOrEqual(4);
    expect(byVariant[1]!.length).toBeGreaterThanOrEqual(4);
    // Which messages are in each sample: the first four of each variant by send time.
    const [a, b] = [byVariant[0]!.slice(0, 4), byVariant[1]!.slice(0, 4)];
    const open = (messageId: string, at: Date, machine: "apple-privacy-proxy" | null = null) => ({ messageId, type: "opened" as const, source: "pixel" as const, occurredAt: at, dedupeKey: randomUUID(), machine });
    const soon = new Date(t0.getTime() + 2 * HOUR);
    await recordEngagement(database.db, [
      open(a[0]!, soon),
      open(a[1]!, soon, "apple-privacy-proxy"),
      open(b[0]!, soon),
      open(b[1]!, soon),
      open(b[2]!, soon),
      // After its window: not a conversion of this test.
      open(a[2]!, new Date(t0.getTime() + 30 * HOUR)),
    ]);
    const key = { workspaceId, journeyId, version: 1, nodeId: "welcome" };
    const counts = await journeyAbVariantCounts(database.db, { ...key, metric: "opens", sampleSize: 4, windowHours: 24 });
    expect(counts.map(({ variant, sent, conversions }) => ({ variant, sent, conversions }))).toEqual([
      { variant: 0, sent: 4, conversions: 1 },
      { variant: 1, sent: 4, conversions: 3 },
    ]);

    const lastFull = Math.max(...counts.map((c) => c.sampleFullAt!.getTime()));
    expect(await settleJourneyAbTest(database.db, key, "window", new Date(lastFull + 23 * HOUR))).toMatchObject({ ok: false, reason: "not due" });
    expect((await listOpenJourneyAbTests(database.db, { limit: 100 })).some((t) => t.journeyId === journeyId)).toBe(true);

    const winners = async () => (await metrics().abWinners.get()).values.find((v) => v.labels.source === "journey" && v.labels.decided_by === "window")?.value ?? 0;
    const before = await winners();
    const logs = collectLogLines();
    const decideAt = new Date(lastFull + 24 * HOUR);
    // Two deciders at once (the cron's replayed page, a second tick): one records, both read B.
    const [one, two] = await Promise.all([settleJourneyAbTest(database.db, key, "window", decideAt), settleJourneyAbTest(database.db, key, "window", decideAt)]);
    expect([one, two].map((s) => s.ok && s.winner)).toEqual([1, 1]);
    expect([one, two].filter((s) => s.ok && s.recordedNow)).toHaveLength(1);
    expect(await winners()).toBe(before + 1);
    expect(logs.lines().filter((line) => line.msg === "journeys: A/B test winner picked")).toEqual([expect.objectContaining({ journeyId, nodeId: "welcome", winner: "B", decidedBy: "window" })]);
    logs.stop();
    // A person's pick afterwards reads the recorded one back.
    expect(await settleJourneyAbTest(database.db, key, "manual", decideAt)).toMatchObject({ ok: true, winner: 1, recordedNow: false });
    expect((await getJourneyAbTest(database.db, key))!.result).toMatchObject({ metric: "opens", variants: [{ variant: 0, sent: 4, conversions: 1 }, { variant: 1, sent: 4, conversions: 3 }] });

    // Later enrollments all get B, outside the sample.
    for (let i = 0; i < 6; i++) {
      const later = await enroll(journeyId);
      await take(node, later.id, decideAt);
      expect(await getJourneyAbAssignment(database.db, { enrollmentId: later.id, nodeId: "welcome", visit: 1 })).toMatchObject({ variant: 1, sample: false });
    }
    const [view] = await journeyAbTestsView(database.db, { workspaceId, journeyId, version: 1, graph: journeyGraph.parse({ trigger: { type: "event", eventName: "signup" }, start: "welcome", nodes: [node, { id: "done", type: "exit" }] }) });
    expect(view).toMatchObject({ stepId: "welcome", state: "decided", canPickNow: false, winner: { variant: "B", decidedBy: "window" } });
    expect(view!.variants[1]).toMatchObject({ variant: "B", afterWinner: 6, sent: 4, conversions: 3, rate: 0.75 });
  });

  it("by hand: refused while nothing was sent, then recorded at once", async () => {
    const { journeyId, node, enrollments } = await journeyWith({ metric: "clicks", variants: [{ subject: "A" }, { subject: "B" }] }, 4);
    const key = { workspaceId, journeyId, version: 1, nodeId: "welcome" };
    expect(await settleJourneyAbTest(database.db, key, "manual", t0)).toEqual({ ok: false, reason: "not found" });
    for (const enrollment of enrollments) await take(node, enrollment.id, t0);
    expect(await settleJourneyAbTest(database.db, key, "manual", t0)).toEqual({ ok: false, reason: "no sends" });
    for (const enrollment of enrollments) await sentAt(enrollment.id, t0);
    expect(await settleJourneyAbTest(database.db, { ...key, workspaceId: randomUUID() }, "manual", t0)).toEqual({ ok: false, reason: "not found" });
    expect(await settleJourneyAbTest(database.db, key, "manual", t0)).toMatchObject({ ok: true, winner: 0, recordedNow: true, test: { decidedBy: "manual" } });
  });
});
