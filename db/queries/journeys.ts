import { and, asc, count, desc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Position } from "@/core/pagination/cursor";
import type { Db } from "@/db";
import { contactEvents, contacts, journeyDraftRevisions, journeyEnrollments, journeys, journeyStepEvents, journeyVersions } from "@/db/schema";
import { before } from "./keyset";
import { visibleContact } from "./visible-contacts";

export type Journey = typeof journeys.$inferSelect;
export type JourneyVersion = typeof journeyVersions.$inferSelect;
export type JourneyEnrollment = typeof journeyEnrollments.$inferSelect;
export type JourneyStepEvent = typeof journeyStepEvents.$inferSelect;
export type JourneyStatus = Journey["status"];
export type JourneyDraftRevision = typeof journeyDraftRevisions.$inferSelect;
export type JourneyDraftRevisionKind = "save" | "merge" | "restore";

/** The journey and its draft's revision 0 (the base a first save names), in one transaction. */
export async function insertJourney(db: Db, params: { workspaceId: string; name: string; draft: Record<string, unknown>; savedBy: string | null; now: Date }): Promise<Journey> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(journeys)
      .values({ workspaceId: params.workspaceId, name: params.name, draft: params.draft, draftSavedAt: params.now, draftSavedBy: params.savedBy, createdAt: params.now, updatedAt: params.now })
      .returning();
    await tx.insert(journeyDraftRevisions).values({ journeyId: row!.id, revision: row!.draftRevision, draft: params.draft, savedAt: params.now, savedBy: params.savedBy });
    return row!;
  });
}

export async function getJourney(db: Db, params: { workspaceId: string; journeyId: string }): Promise<Journey | undefined> {
  const [row] = await db.select().from(journeys).where(and(eq(journeys.workspaceId, params.workspaceId), eq(journeys.id, params.journeyId)));
  return row;
}

export type JourneyListItem = Journey & { activeEnrollments: number };

/** Newest first, with each journey's running enrollments (served by journey_enrollments_journey_idx). */
export async function listJourneys(db: Db, params: { workspaceId: string; limit: number; after?: Position }): Promise<JourneyListItem[]> {
  const active = db
    .select({ journeyId: journeyEnrollments.journeyId, n: count().as("n") })
    .from(journeyEnrollments)
    .where(and(eq(journeyEnrollments.workspaceId, params.workspaceId), eq(journeyEnrollments.status, "active")))
    .groupBy(journeyEnrollments.journeyId)
    .as("active");
  const rows = await db
    .select({ journey: journeys, active: active.n })
    .from(journeys)
    .leftJoin(active, eq(active.journeyId, journeys.id))
    .where(and(eq(journeys.workspaceId, params.workspaceId), before(journeys.createdAt, journeys.id, params.after)))
    .orderBy(desc(journeys.createdAt), desc(journeys.id))
    .limit(params.limit);
  return rows.map((row) => ({ ...row.journey, activeEnrollments: Number(row.active ?? 0) }));
}

/**
 * Saves the draft if it is still at `baseRevision`: a conditional UPDATE, so of two editors
 * saving on the same revision exactly one wins and the other learns the current revision.
 */
export async function saveJourneyDraft(
  db: Db,
  params: { workspaceId: string; journeyId: string; baseRevision: number; draft: Record<string, unknown>; name?: string; savedBy: string | null; now: Date; kind?: JourneyDraftRevisionKind },
): Promise<{ ok: true; journey: Journey } | { ok: false; currentRevision: number } | undefined> {
  const row = await db.transaction(async (tx) => {
    const [saved] = await tx
    .update(journeys)
    .set({
      draft: params.draft,
      ...(params.name ? { name: params.name } : {}),
      draftRevision: sql`${journeys.draftRevision} + 1`,
      draftSavedAt: params.now,
      draftSavedBy: params.savedBy,
      updatedAt: params.now,
    })
    .where(and(eq(journeys.workspaceId, params.workspaceId), eq(journeys.id, params.journeyId), eq(journeys.draftRevision, params.baseRevision), sql`${journeys.status} <> 'archived'`))
    .returning();
    // The history the canvas lists and restores from, and the base a later stale save merges against.
    if (saved) await tx.insert(journeyDraftRevisions).values({ journeyId: saved.id, revision: saved.draftRevision, draft: params.draft, savedAt: params.now, savedBy: params.savedBy, kind: params.kind ?? "save" });
    return saved;
  });
  if (row) return { ok: true, journey: row };
  const current = await getJourney(db, params);
  return current ? { ok: false, currentRevision: current.draftRevision } : undefined;
}

/** One saved revision of a journey's draft (the journey already checked to be the workspace's). */
export async function getJourneyDraftRevision(db: Db, params: { journeyId: string; revision: number }): Promise<JourneyDraftRevision | undefined> {
  const [row] = await db
    .select()
    .from(journeyDraftRevisions)
    .where(and(eq(journeyDraftRevisions.journeyId, params.journeyId), eq(journeyDraftRevisions.revision, params.revision)));
  return row;
}

/** The newest revisions first, without their drafts (the history list), served by the primary key. */
export async function listJourneyDraftRevisions(db: Db, params: { journeyId: string; limit: number }): Promise<Omit<JourneyDraftRevision, "draft">[]> {
  return db
    .select({ journeyId: journeyDraftRevisions.journeyId, revision: journeyDraftRevisions.revision, savedAt: journeyDraftRevisions.savedAt, savedBy: journeyDraftRevisions.savedBy, kind: journeyDraftRevisions.kind })
    .from(journeyDraftRevisions)
    .where(eq(journeyDraftRevisions.journeyId, params.journeyId))
    .orderBy(desc(journeyDraftRevisions.revision))
    .limit(params.limit);
}

/** The draft's revision and who saved it: what the live stream polls, one primary-key read. */
export async function getJourneyDraftHead(db: Db, params: { workspaceId: string; journeyId: string }): Promise<{ revision: number; savedBy: string | null } | undefined> {
  const [row] = await db
    .select({ revision: journeys.draftRevision, savedBy: journeys.draftSavedBy })
    .from(journeys)
    .where(and(eq(journeys.workspaceId, params.workspaceId), eq(journeys.id, params.journeyId)));
  return row;
}

/**
 * Stores the graph as the next version and makes it the one new enrollments run, in one
 * transaction. The version number comes from the journey row, locked, so two publishes never
 * take the same number. Running enrollments keep theirs: nothing else changes.
 */
export async function publishJourneyVersion(
  db: Db,
  params: { workspaceId: string; journeyId: string; graph: Record<string, unknown>; publishedBy: string; now: Date },
): Promise<{ journey: Journey; version: number } | undefined> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(journeys)
      .where(and(eq(journeys.workspaceId, params.workspaceId), eq(journeys.id, params.journeyId)))
      .for("update");
    if (!current) return undefined;
    const version = (current.publishedVersion ?? 0) + 1;
    await tx.insert(journeyVersions).values({ journeyId: current.id, version, graph: params.graph, publishedAt: params.now, publishedBy: params.publishedBy });
    const [journey] = await tx
      .update(journeys)
      .set({ publishedVersion: version, status: current.status === "paused" ? "paused" : "active", updatedAt: params.now })
      .where(eq(journeys.id, current.id))
      .returning();
    return { journey: journey!, version };
  });
}

/** Moves a journey between active, paused and archived; only from the statuses given. */
export async function setJourneyStatus(
  db: Db,
  params: { workspaceId: string; journeyId: string; status: JourneyStatus; from: JourneyStatus[]; reason: string | null; now: Date },
): Promise<Journey | undefined> {
  const [row] = await db
    .update(journeys)
    .set({ status: params.status, statusReason: params.reason, updatedAt: params.now })
    .where(and(eq(journeys.workspaceId, params.workspaceId), eq(journeys.id, params.journeyId), sql`${journeys.status} in ${params.from}`))
    .returning();
  return row;
}

export async function getJourneyVersion(db: Db, params: { journeyId: string; version: number }): Promise<JourneyVersion | undefined> {
  const [row] = await db.select().from(journeyVersions).where(and(eq(journeyVersions.journeyId, params.journeyId), eq(journeyVersions.version, params.version)));
  return row;
}

/** Active journeys of the workspace whose published version starts on this event name. */
export async function listJourneysTriggeredBy(db: Db, params: { workspaceId: string; eventName: string }): Promise<{ journeyId: string; version: number; graph: Record<string, unknown> }[]> {
  return db
    .select({ journeyId: journeys.id, version: journeyVersions.version, graph: journeyVersions.graph })
    .from(journeys)
    .innerJoin(journeyVersions, and(eq(journeyVersions.journeyId, journeys.id), eq(journeyVersions.version, journeys.publishedVersion)))
    .where(
      and(
        eq(journeys.workspaceId, params.workspaceId),
        eq(journeys.status, "active"),
        sql`${journeyVersions.graph} -> 'trigger' ->> 'type' = 'event'`,
        sql`${journeyVersions.graph} -> 'trigger' ->> 'eventName' = ${params.eventName}`,
      ),
    );
}

/**
 * Active journeys of every workspace (or of one) whose published version starts on this kind of trigger
 * (`segment`, `date`), in journey id order after `after`: the pages of the crons that
 * re-evaluate segments and plan date triggers.
 */
export async function listLiveJourneysByTrigger(
  db: Db,
  params: { type: "segment" | "date"; workspaceId?: string; after?: string | null; limit: number },
): Promise<{ workspaceId: string; journeyId: string; version: number; graph: Record<string, unknown>; updatedAt: Date }[]> {
  return db
    .select({ workspaceId: journeys.workspaceId, journeyId: journeys.id, version: journeyVersions.version, graph: journeyVersions.graph, updatedAt: journeys.updatedAt })
    .from(journeys)
    .innerJoin(journeyVersions, and(eq(journeyVersions.journeyId, journeys.id), eq(journeyVersions.version, journeys.publishedVersion)))
    .where(
      and(
        eq(journeys.status, "active"),
        params.workspaceId ? eq(journeys.workspaceId, params.workspaceId) : undefined,
        sql`${journeyVersions.graph} -> 'trigger' ->> 'type' = ${params.type}`,
        params.after ? gt(journeys.id, params.after) : undefined,
      ),
    )
    .orderBy(asc(journeys.id))
    .limit(params.limit);
}

/** Active enrollments, in journeys of the workspace whose running version's goal is this event, of this contact. */
export async function listEnrollmentsWithGoal(db: Db, params: { workspaceId: string; contactId: string; eventName: string }): Promise<JourneyEnrollment[]> {
  return db
    .select({ enrollment: journeyEnrollments })
    .from(journeyEnrollments)
    .innerJoin(journeyVersions, and(eq(journeyVersions.journeyId, journeyEnrollments.journeyId), eq(journeyVersions.version, journeyEnrollments.version)))
    .where(
      and(
        eq(journeyEnrollments.workspaceId, params.workspaceId),
        eq(journeyEnrollments.contactId, params.contactId),
        eq(journeyEnrollments.status, "active"),
        sql`${journeyVersions.graph} -> 'goal' ->> 'eventName' = ${params.eventName}`,
      ),
    )
    .then((rows) => rows.map((row) => row.enrollment));
}

/** The contact's latest enrollment in the journey (any status): what re-entry rules are judged on. */
export async function lastEnrollment(db: Db, params: { journeyId: string; contactId: string }): Promise<JourneyEnrollment | undefined> {
  const [row] = await db
    .select()
    .from(journeyEnrollments)
    .where(and(eq(journeyEnrollments.journeyId, params.journeyId), eq(journeyEnrollments.contactId, params.contactId)))
    .orderBy(desc(journeyEnrollments.enteredAt))
    .limit(1);
  return row;
}

/**
 * Enrolls a contact unless it is already in the journey: the partial unique index on active
 * enrollments makes a concurrent second insert a no-op. Its `entered` step event is written in
 * the same transaction.
 */
export async function insertEnrollment(
  db: Db,
  params: { workspaceId: string; journeyId: string; version: number; contactId: string; trigger: Record<string, unknown>; startStepId: string; now: Date },
): Promise<JourneyEnrollment | undefined> {
  const [row] = await db
    .insert(journeyEnrollments)
    .values({ workspaceId: params.workspaceId, journeyId: params.journeyId, version: params.version, contactId: params.contactId, trigger: params.trigger, enteredAt: params.now, currentStepId: params.startStepId })
    .onConflictDoNothing()
    .returning();
  return row;
}

export async function getEnrollment(db: Db, params: { workspaceId: string; enrollmentId: string }): Promise<JourneyEnrollment | undefined> {
  const [row] = await db.select().from(journeyEnrollments).where(and(eq(journeyEnrollments.workspaceId, params.workspaceId), eq(journeyEnrollments.id, params.enrollmentId)));
  return row;
}

/** The running enrollment of a contact in a journey (the one an enroll request that lost the race met). */
export async function activeEnrollment(db: Db, params: { journeyId: string; contactId: string }): Promise<JourneyEnrollment | undefined> {
  const [row] = await db
    .select()
    .from(journeyEnrollments)
    .where(and(eq(journeyEnrollments.journeyId, params.journeyId), eq(journeyEnrollments.contactId, params.contactId), eq(journeyEnrollments.status, "active")));
  return row;
}

/** Records where an active enrollment is and what it learned on the way (merged into `data`). */
export async function moveEnrollment(db: Db, params: { enrollmentId: string; stepId: string; data?: Record<string, unknown> }): Promise<void> {
  await db
    .update(journeyEnrollments)
    .set({ currentStepId: params.stepId, ...(params.data ? { data: sql`${journeyEnrollments.data} || ${JSON.stringify(params.data)}::jsonb` } : {}) })
    .where(and(eq(journeyEnrollments.id, params.enrollmentId), eq(journeyEnrollments.status, "active")));
}

/** Ends an active enrollment; false when it had already ended (the goal or a replay got there first). */
export async function endEnrollment(
  db: Db,
  params: { enrollmentId: string; status: "completed" | "exited" | "failed"; reason: string | null; now: Date },
): Promise<boolean> {
  const rows = await db
    .update(journeyEnrollments)
    .set({ status: params.status, exitReason: params.reason, endedAt: params.now })
    .where(and(eq(journeyEnrollments.id, params.enrollmentId), eq(journeyEnrollments.status, "active")))
    .returning({ id: journeyEnrollments.id });
  return rows.length > 0;
}

export type StepEventInput = { stepId: string; type: JourneyStepEvent["type"]; detail?: Record<string, unknown> };

export async function insertStepEvents(db: Db, params: { enrollment: Pick<JourneyEnrollment, "id" | "journeyId" | "version">; events: StepEventInput[]; now: Date }): Promise<void> {
  if (params.events.length === 0) return;
  await db.insert(journeyStepEvents).values(
    params.events.map((event) => ({
      enrollmentId: params.enrollment.id,
      journeyId: params.enrollment.journeyId,
      version: params.enrollment.version,
      stepId: event.stepId,
      type: event.type,
      detail: event.detail ?? {},
      at: params.now,
    })),
  );
}

/** One enrollment's timeline, oldest first. */
export async function listStepEvents(db: Db, params: { enrollmentId: string }): Promise<JourneyStepEvent[]> {
  return db.select().from(journeyStepEvents).where(eq(journeyStepEvents.enrollmentId, params.enrollmentId)).orderBy(asc(journeyStepEvents.id));
}

export type StepCounts = Record<string, { entered: number; waiting: number; passed: number; exited: number }>;

/**
 * Per-step counts of a version: how many enrollments entered, passed and exited each step, and
 * how many are waiting there now (entered or waiting, and still active with that step current).
 */
export async function journeyStepCounts(db: Db, params: { journeyId: string; version: number }): Promise<StepCounts> {
  const counts: StepCounts = {};
  const at = (stepId: string) => (counts[stepId] ??= { entered: 0, waiting: 0, passed: 0, exited: 0 });
  const rows = await db
    .select({ stepId: journeyStepEvents.stepId, type: journeyStepEvents.type, n: count() })
    .from(journeyStepEvents)
    .where(and(eq(journeyStepEvents.journeyId, params.journeyId), eq(journeyStepEvents.version, params.version), sql`${journeyStepEvents.type} in ('entered', 'passed', 'exited')`))
    .groupBy(journeyStepEvents.stepId, journeyStepEvents.type);
  for (const row of rows) at(row.stepId)[row.type as "entered" | "passed" | "exited"] = Number(row.n);
  const waiting = await db
    .select({ stepId: journeyEnrollments.currentStepId, n: count() })
    .from(journeyEnrollments)
    .where(and(eq(journeyEnrollments.journeyId, params.journeyId), eq(journeyEnrollments.version, params.version), eq(journeyEnrollments.status, "active")))
    .groupBy(journeyEnrollments.currentStepId);
  for (const row of waiting) if (row.stepId) at(row.stepId).waiting = Number(row.n);
  return counts;
}

/** A journey's enrollments, newest first. */
export async function listEnrollments(
  db: Db,
  params: { workspaceId: string; journeyId: string; status?: JourneyEnrollment["status"]; limit: number; after?: Position },
): Promise<JourneyEnrollment[]> {
  return db
    .select()
    .from(journeyEnrollments)
    .where(
      and(
        eq(journeyEnrollments.workspaceId, params.workspaceId),
        eq(journeyEnrollments.journeyId, params.journeyId),
        params.status ? eq(journeyEnrollments.status, params.status) : undefined,
        before(journeyEnrollments.enteredAt, journeyEnrollments.id, params.after),
      ),
    )
    .orderBy(desc(journeyEnrollments.enteredAt), desc(journeyEnrollments.id))
    .limit(params.limit);
}

/** A contact event of the workspace (its properties become the trigger's, `event.properties`). */
export async function getContactEventForJourneys(db: Db, params: { workspaceId: string; contactEventId: number }): Promise<{ name: string; contactId: string; properties: Record<string, unknown> } | undefined> {
  const [row] = await db
    .select({ name: contactEvents.name, contactId: contactEvents.contactId, properties: contactEvents.properties })
    .from(contactEvents)
    .where(and(eq(contactEvents.workspaceId, params.workspaceId), eq(contactEvents.id, params.contactEventId)));
  return row;
}

/**
 * Enrolls a page of contacts in one statement: the subscribed, visible ones among `contactIds`
 * that the re-entry rule lets in (no active enrollment; `never`: none ever; `after`: none entered
 * since `reenterAfter`; `oncePerKey`: none ever made under this trigger key, whatever the rule — a
 * date trigger's key names the year). Then returns every active enrollment of these contacts made under
 * `key` — the ones just inserted and, when this is a retry, the ones the first attempt inserted —
 * so the caller (re)sends their start events.
 */
export async function insertEnrollmentsBulk(
  db: Db,
  params: {
    workspaceId: string;
    journeyId: string;
    version: number;
    contactIds: string[];
    trigger: Record<string, unknown> & { key: string };
    startStepId: string;
    reentry: "never" | "always" | { enteredBefore: Date };
    oncePerKey?: boolean;
    now: Date;
  },
): Promise<{ id: string; contactId: string }[]> {
  if (params.contactIds.length === 0) return [];
  const byRule =
    params.reentry === "never"
      ? sql`true`
      : params.reentry === "always"
        ? sql`${journeyEnrollments.status} = 'active'`
        : sql`(${journeyEnrollments.status} = 'active' or ${journeyEnrollments.enteredAt} > ${params.reentry.enteredBefore.toISOString()}::timestamptz)`;
  const prior = params.oncePerKey ? sql`(${byRule} or ${journeyEnrollments.trigger} ->> 'key' = ${params.trigger.key})` : byRule;
  const blocked = sql`exists (select 1 from ${journeyEnrollments} where ${journeyEnrollments.journeyId} = ${params.journeyId}::uuid and ${journeyEnrollments.contactId} = ${contacts.id} and ${prior})`;
  await db
    .insert(journeyEnrollments)
    .select(
      db
        .select({
          id: sql`gen_random_uuid()`.as("id"),
          workspaceId: contacts.workspaceId,
          journeyId: sql`${params.journeyId}::uuid`.as("journey_id"),
          version: sql`${params.version}::int`.as("version"),
          contactId: contacts.id,
          status: sql`'active'::journey_enrollment_status`.as("status"),
          currentStepId: sql`${params.startStepId}`.as("current_step_id"),
          trigger: sql`${JSON.stringify(params.trigger)}::jsonb`.as("trigger"),
          data: sql`'{}'::jsonb`.as("data"),
          enteredAt: sql`${params.now.toISOString()}::timestamptz`.as("entered_at"),
          endedAt: sql`null::timestamptz`.as("ended_at"),
          exitReason: sql`null::text`.as("exit_reason"),
        })
        .from(contacts)
        .where(and(eq(contacts.workspaceId, params.workspaceId), inArray(contacts.id, params.contactIds), eq(contacts.status, "subscribed"), visibleContact, sql`not ${blocked}`)),
    )
    .onConflictDoNothing();
  return db
    .select({ id: journeyEnrollments.id, contactId: journeyEnrollments.contactId })
    .from(journeyEnrollments)
    .where(
      and(
        eq(journeyEnrollments.journeyId, params.journeyId),
        inArray(journeyEnrollments.contactId, params.contactIds),
        eq(journeyEnrollments.status, "active"),
        sql`${journeyEnrollments.trigger} ->> 'key' = ${params.trigger.key}`,
      ),
    );
}
