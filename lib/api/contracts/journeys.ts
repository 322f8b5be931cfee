import { z } from "zod";
import { journeyDraft } from "@/core/journeys/graph";
import { apiOperation } from "@/lib/api/api-operation";
import { pageParams } from "@/lib/api/pagination";
import { AB_METRICS } from "@/core/ab-tests/ab-test";
import { JOURNEY_AB_MAX_DAYS } from "@/core/journeys/journey-ab-test";
import { abCount, abLeaderSchema, abRate, abWinnerSchema } from "./ab-tests";
import { idParams, nullableTimestamp, paged, timestamp } from "./common";

const tag = "Journeys";

const graphDescription =
  "A JourneyGraph: `trigger` ({type: event, eventName}; {type: segment, segmentId}: the members at publish, then every contact entering the segment, re-evaluated every 15 minutes; or {type: date, dateField: birthday | created_at | attribute:<key>, hour: 0–23, minute: 0–59}: a contact's date at that local hour in its time zone, once a year), `reentry` ({mode: never | always} or {mode: after, days}), `goal` ({eventName} or null), `start` (a step id) and `nodes`, each with an `id`, a `type` (send, wait, waitForEvent, branch, randomSplit, updateContact, addToList, removeFromList, webhook, exit) and the ids its exits lead to (a send step may carry `abTest`: {variants: 2–4 of {templateId, subject, from, delayMinutes}, metric: opens | clicks | goal, goalEvent, sampleSize (default 100), windowHours (default 24)}: the variants go to the first enrollments, the winner to everyone after), and `layout` (the dashboard canvas's step positions, by step id; never read by a run). A draft may be incomplete: publishing validates it.";

export const journeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    status: z.enum(["draft", "active", "paused", "archived"]),
    statusReason: z.string().nullable().meta({ description: "Why it is paused: a person, or a template or list a step needs was deleted" }),
    publishedVersion: z.number().int().nullable().meta({ description: "The version new enrollments run; null until published" }),
    draft: z.record(z.string(), z.unknown()).meta({ description: graphDescription }),
    draftRevision: z.number().int().meta({ description: "Give it back as `baseRevision` when saving the draft" }),
    draftSavedAt: timestamp,
    activeEnrollments: z.number().int().optional(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Journey" });

export const graphErrorSchema = z
  .object({ nodeId: z.string().nullable().meta({ description: "The step at fault; null: the journey itself" }), field: z.string().nullable(), message: z.string() })
  .meta({ id: "JourneyGraphError" });

export const enrollmentSchema = z
  .object({
    id: z.uuid(),
    journeyId: z.uuid(),
    version: z.number().int(),
    contactId: z.uuid(),
    status: z.enum(["active", "completed", "exited", "failed"]),
    currentStepId: z.string().nullable(),
    exitReason: z.string().nullable().meta({ description: "completed, goal, unsubscribed, erased, archived, step_limit or error" }),
    enteredAt: timestamp,
    endedAt: nullableTimestamp,
  })
  .meta({ id: "JourneyEnrollment" });

const stepEventSchema = z
  .object({ stepId: z.string(), type: z.enum(["entered", "waiting", "passed", "exited"]), detail: z.record(z.string(), z.unknown()).meta({ description: "`branch` taken when passed, `reason` when exited, `until` or `event` when waiting" }), at: timestamp })
  .meta({ id: "JourneyStepEvent" });

export const journeyCreateRequest = z.strictObject({
  name: z.string().trim().min(1).max(200),
  draft: journeyDraft.optional().meta({ description: `${graphDescription} Default: an empty graph started by the event \`signup\`.` }),
});

export const draftSaveRequest = z.strictObject({
  baseRevision: z.number().int().min(0).meta({ description: "The `draftRevision` this edit started from: a save on an older revision is refused with 409 and the current revision" }),
  draft: journeyDraft.meta({ description: graphDescription }),
  name: z.string().trim().min(1).max(200).optional(),
});

export const enrollRequest = z.strictObject({
  contactId: z.uuid(),
  properties: z.record(z.string(), z.unknown()).default({}).meta({ description: "Seen by branch conditions as `event.properties`" }),
});

const enrollmentParams = z.object({ id: z.uuid(), enrollmentId: z.uuid() });
const versionParams = z.object({ id: z.uuid(), version: z.coerce.number().int().positive() });

export const journeyAbStepSchema = z
  .object({
    stepId: z.string(),
    label: z.string(),
    metric: z.enum(AB_METRICS),
    goalEvent: z.string().nullable(),
    sampleSize: abCount.meta({ description: "Messages per variant the test waits for before the winner may be picked" }),
    windowHours: abCount.meta({ description: "How long after each send its conversions count; the clock decides this long after the last variant's sample was sent" }),
    state: z.enum(["not_started", "testing", "decided"]),
    startedAt: nullableTimestamp.meta({ description: "When the first enrollment reached the step" }),
    decideAt: nullableTimestamp.meta({ description: `When the clock decides (checked every 5 minutes): the window after every variant's sample was sent, or ${JOURNEY_AB_MAX_DAYS} days after the first send; null when decided or not yet known` }),
    canPickNow: z.boolean().meta({ description: "The winner can be picked now (POST …/winner): testing, and something was sent" }),
    variants: z.array(
      z.object({
        variant: z.string().meta({ description: "A, B, C or D", example: "B" }),
        index: abCount,
        subject: z.string().nullable(),
        templateId: z.uuid().nullable(),
        from: z.string().nullable(),
        delayMinutes: abCount.meta({ description: "How long the variant waits before sending (a send-time variant); 0: at once" }),
        assigned: abCount.meta({ description: "Enrollments given this variant while the test ran" }),
        afterWinner: abCount.meta({ description: "Enrollments given it as the winner" }),
        sent: abCount.meta({ description: "The sample: the variant's first `sampleSize` messages sent, the rate's denominator" }),
        conversions: abCount.meta({ description: "Of those, messages with a human open, a human click or the goal event (by the metric) within the window after their send" }),
        rate: abRate.meta({ description: "conversions / sent (0 when nothing was sent)" }),
      }),
    ),
    leader: abLeaderSchema,
    winner: abWinnerSchema.meta({ description: "Recorded once per version and step; every later enrollment gets this variant" }),
  })
  .meta({ id: "JourneyAbTestResult" });

export const journeysApi = {
  create: apiOperation({
    method: "post",
    path: "/journeys",
    tag,
    summary: "Create a journey (a draft)",
    body: journeyCreateRequest,
    responses: { 201: { description: "The new journey", schema: journeySchema } },
  }),
  list: apiOperation({
    method: "get",
    path: "/journeys",
    tag,
    summary: "List journeys, newest first, with their running enrollments",
    query: z.strictObject({ ...pageParams }),
    responses: { 200: { description: "A page of journeys", schema: paged(journeySchema) } },
  }),
  get: apiOperation({
    method: "get",
    path: "/journeys/{id}",
    tag,
    summary: "One journey with its draft",
    params: idParams("journey"),
    responses: { 200: { description: "The journey", schema: journeySchema } },
    errors: { 404: "No such journey in this workspace" },
  }),
  saveDraft: apiOperation({
    method: "put",
    path: "/journeys/{id}/draft",
    tag,
    summary: "Save the draft graph, based on a revision",
    description: "Two editors never silently overwrite each other: the save names the revision it started from, and a save on an older one answers 409 with the current revision. Every save is kept as a revision (the dashboard canvas lists them as its history; the canvas itself merges a stale save when the two changes touch different steps).",
    params: idParams("journey"),
    body: draftSaveRequest,
    responses: { 200: { description: "The journey with its new revision", schema: journeySchema } },
    errors: { 404: "No such journey in this workspace", 409: "The draft changed since `baseRevision` (the body names `currentRevision`), or the journey is archived" },
  }),
  publish: apiOperation({
    method: "post",
    path: "/journeys/{id}/publish",
    tag,
    summary: "Validate the draft and publish it as the next version",
    description: "Running enrollments stay on the version they entered on; new ones take this one. An invalid graph answers 400 with `errors`, each naming its step.",
    params: idParams("journey"),
    responses: { 200: { description: "The published version", schema: z.object({ journey: journeySchema, version: z.number().int() }) } },
    errors: { 400: "The graph is invalid (`errors` by step)", 404: "No such journey in this workspace", 409: "The journey is archived" },
  }),
  pause: apiOperation({
    method: "post",
    path: "/journeys/{id}/pause",
    tag,
    summary: "Pause: enroll no one, hold running enrollments at their next step",
    params: idParams("journey"),
    responses: { 200: { description: "The journey", schema: journeySchema } },
    errors: { 404: "No such journey in this workspace", 409: "Not active" },
  }),
  resume: apiOperation({
    method: "post",
    path: "/journeys/{id}/resume",
    tag,
    summary: "Resume a paused journey: held enrollments go on",
    params: idParams("journey"),
    responses: { 200: { description: "The journey", schema: journeySchema } },
    errors: { 404: "No such journey in this workspace", 409: "Not paused, or never published" },
  }),
  archive: apiOperation({
    method: "post",
    path: "/journeys/{id}/archive",
    tag,
    summary: "Archive: running enrollments leave at their next step",
    params: idParams("journey"),
    responses: { 200: { description: "The journey", schema: journeySchema } },
    errors: { 404: "No such journey in this workspace", 409: "Already archived" },
  }),
  stepCounts: apiOperation({
    method: "get",
    path: "/journeys/{id}/versions/{version}/steps",
    tag,
    summary: "Per-step counts of a version: entered, waiting (there now), passed, exited",
    params: z.object({ id: z.uuid(), version: z.coerce.number().int().positive() }),
    responses: {
      200: {
        description: "Counts by step id, and the version's graph",
        schema: z.object({ version: z.number().int(), graph: z.record(z.string(), z.unknown()), steps: z.record(z.string(), z.object({ entered: z.number().int(), waiting: z.number().int(), passed: z.number().int(), exited: z.number().int() })) }),
      },
    },
    errors: { 404: "No such journey or version" },
  }),
  abTests: apiOperation({
    method: "get",
    path: "/journeys/{id}/versions/{version}/ab-tests",
    tag,
    summary: "The A/B tests of a version's send steps: each variant's sends, conversions and rate, the leader, and the winner with its p-value",
    description: "A send step with `abTest` tries its variants on the first enrollments to reach it (a variant per enrollment, by a hash, the same on every retry), then gives the winner to everyone. Each version is a test of its own.",
    params: versionParams,
    responses: { 200: { description: "One entry per A/B send step, in the graph's order", schema: z.object({ version: z.number().int(), steps: z.array(journeyAbStepSchema) }) } },
    errors: { 404: "No such journey or version" },
  }),
  pickAbWinner: apiOperation({
    method: "post",
    path: "/journeys/{id}/versions/{version}/ab-tests/{stepId}/winner",
    tag,
    summary: "Pick a send step's A/B winner now, instead of when its sample and window are complete",
    description: "The winner is the variant with the best rate in the sample so far (ties: the first); every enrollment reaching the step from now on gets it. Recorded once: a second pick, or the clock's own, keeps the first.",
    params: versionParams.extend({ stepId: z.string().min(1).max(64) }),
    responses: { 200: { description: "The step's test after the pick", schema: journeyAbStepSchema } },
    errors: { 404: "No such journey, version, or A/B send step", 409: "`invalid_state`: nothing was sent yet, or the winner is already picked" },
  }),
  enrollments: apiOperation({
    method: "get",
    path: "/journeys/{id}/enrollments",
    tag,
    summary: "The journey's enrollments, newest first",
    params: idParams("journey"),
    query: z.strictObject({ ...pageParams, status: z.enum(["active", "completed", "exited", "failed"]).optional() }),
    responses: { 200: { description: "A page of enrollments", schema: paged(enrollmentSchema) } },
    errors: { 404: "No such journey in this workspace" },
  }),
  enrollment: apiOperation({
    method: "get",
    path: "/journeys/{id}/enrollments/{enrollmentId}",
    tag,
    summary: "One enrollment with its timeline",
    params: enrollmentParams,
    responses: { 200: { description: "The enrollment and its step events, oldest first", schema: enrollmentSchema.extend({ timeline: z.array(stepEventSchema) }) } },
    errors: { 404: "No such enrollment" },
  }),
  enroll: apiOperation({
    method: "post",
    path: "/journeys/{id}/enrollments",
    tag,
    summary: "Enroll a contact by hand (under the journey's re-entry rule)",
    params: idParams("journey"),
    body: enrollRequest,
    responses: { 201: { description: "The enrollment", schema: enrollmentSchema } },
    errors: { 404: "No such journey or contact", 409: "Not active, the contact is in it now, or the re-entry rule refuses" },
  }),
};
