import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { AbMetric } from "@/core/ab-tests/ab-test";
import type { Db } from "@/db";
import { type AbRecordedResult, journeyAbAssignments, journeyAbTests, messages } from "@/db/schema";
import { abConversion } from "./ab-conversion";
import { rowsOf } from "./rows-of";

export type JourneyAbTestRow = typeof journeyAbTests.$inferSelect;
export type JourneyAbAssignment = typeof journeyAbAssignments.$inferSelect;
export type JourneyAbTestKey = { journeyId: string; version: number; nodeId: string };

const keyOf = (key: JourneyAbTestKey) => and(eq(journeyAbTests.journeyId, key.journeyId), eq(journeyAbTests.version, key.version), eq(journeyAbTests.nodeId, key.nodeId));

/** The test of a version's step, made by the first enrollment to reach it; later calls read it back. */
export async function openJourneyAbTest(db: Db, params: JourneyAbTestKey & { workspaceId: string; now: Date }): Promise<JourneyAbTestRow> {
  await db.insert(journeyAbTests).values({ journeyId: params.journeyId, version: params.version, nodeId: params.nodeId, workspaceId: params.workspaceId, startedAt: params.now }).onConflictDoNothing();
  return (await getJourneyAbTest(db, params))!;
}

export async function getJourneyAbTest(db: Db, params: JourneyAbTestKey): Promise<JourneyAbTestRow | undefined> {
  const [row] = await db.select().from(journeyAbTests).where(keyOf(params));
  return row;
}

/** A version's tests, by step. */
export async function listJourneyAbTests(db: Db, params: { journeyId: string; version: number }): Promise<JourneyAbTestRow[]> {
  return db
    .select()
    .from(journeyAbTests)
    .where(and(eq(journeyAbTests.journeyId, params.journeyId), eq(journeyAbTests.version, params.version)));
}

export type OpenTestCursor = JourneyAbTestKey & { startedAt: string };

/** Tests with no winner yet, oldest first (the partial index journey_ab_tests_open_idx), after a keyset cursor. */
export async function listOpenJourneyAbTests(db: Db, params: { limit: number; after?: OpenTestCursor | null }): Promise<JourneyAbTestRow[]> {
  const t = journeyAbTests;
  const after = params.after
    ? sql`(${t.startedAt}, ${t.journeyId}, ${t.version}, ${t.nodeId}) > (${params.after.startedAt}::timestamptz, ${params.after.journeyId}::uuid, ${params.after.version}, ${params.after.nodeId})`
    : undefined;
  return db
    .select()
    .from(t)
    .where(and(isNull(t.winner), after))
    .orderBy(asc(t.startedAt), asc(t.journeyId), asc(t.version), asc(t.nodeId))
    .limit(params.limit);
}

/**
 * Records an enrollment's variant for one visit of the step, once: a retried or replayed step
 * reads back the first row (its variant and its message), never a second draw.
 */
export async function insertJourneyAbAssignment(
  db: Db,
  params: JourneyAbTestKey & { enrollmentId: string; visit: number; workspaceId: string; contactId: string; variant: number; sample: boolean; now: Date },
): Promise<JourneyAbAssignment> {
  const { now, ...values } = params;
  await db
    .insert(journeyAbAssignments)
    .values({ ...values, assignedAt: now })
    .onConflictDoNothing();
  return (await getJourneyAbAssignment(db, params))!;
}

export async function getJourneyAbAssignment(db: Db, params: { enrollmentId: string; nodeId: string; visit: number }): Promise<JourneyAbAssignment | undefined> {
  const [row] = await db
    .select()
    .from(journeyAbAssignments)
    .where(and(eq(journeyAbAssignments.enrollmentId, params.enrollmentId), eq(journeyAbAssignments.nodeId, params.nodeId), eq(journeyAbAssignments.visit, params.visit)));
  return row;
}

/** Every A/B assignment of an enrollment, for its timeline. */
export async function listEnrollmentAbAssignments(db: Db, params: { enrollmentId: string }): Promise<JourneyAbAssignment[]> {
  return db.select().from(journeyAbAssignments).where(eq(journeyAbAssignments.enrollmentId, params.enrollmentId));
}

/** Notes the message the assignment was sent as (the first one: a repeated request is the same message). */
export async function recordJourneyAbMessage(db: Db, params: { enrollmentId: string; nodeId: string; visit: number; messageId: string; now: Date }): Promise<void> {
  await db
    .update(journeyAbAssignments)
    .set({ messageId: params.messageId, sentAt: params.now })
    .where(
      and(
        eq(journeyAbAssignments.enrollmentId, params.enrollmentId),
        eq(journeyAbAssignments.nodeId, params.nodeId),
        eq(journeyAbAssignments.visit, params.visit),
        isNull(journeyAbAssignments.messageId),
      ),
    );
}

export type JourneyAbVariantCount = {
  variant: number;
  /** Enrollments given the variant while the test ran, and after it as the winner. */
  assigned: number;
  afterWinner: number;
  /** The sample: the variant's first `sampleSize` messages that left, and those that converted within the window after their send. */
  sent: number;
  conversions: number;
  /** When the variant's `sampleSize`-th message left; null while it has fewer. */
  sampleFullAt: Date | null;
  firstSentAt: Date | null;
};

const dateOf = (value: unknown) => (value === null || value === undefined ? null : value instanceof Date ? value : new Date(String(value)));

/**
 * A test's counts per variant (one row per variant with an assignment, in variant order). The
 * sample is each variant's first `sampleSize` messages by the time they left (messages.sent_at:
 * queued, suppressed or failed ones were never seen, so they count for nothing); a message counts
 * as converted by abConversion within `windowHours` of its send, the same span for every send.
 * Assignments made after the winner are counted apart and never in the test.
 */
export async function journeyAbVariantCounts(
  db: Db,
  params: JourneyAbTestKey & { workspaceId: string; metric: AbMetric; goalEvent?: string | null; sampleSize: number; windowHours: number },
): Promise<JourneyAbVariantCount[]> {
  const converted = abConversion({
    workspaceId: params.workspaceId,
    metric: params.metric,
    goalEvent: params.goalEvent,
    messageId: sql`s.message_id`,
    contactId: sql`s.contact_id`,
    since: sql`s.sent_at`,
    until: sql`s.sent_at + ${params.windowHours} * interval '1 hour'`,
  });
  const test = sql`a.journey_id = ${params.journeyId}::uuid and a.version = ${params.version} and a.node_id = ${params.nodeId}`;
  const result = await db.execute(sql`
    with sends as (
      select a.variant, a.contact_id, a.message_id, m.sent_at,
        row_number() over (partition by a.variant order by m.sent_at, a.enrollment_id) as rank
      from ${journeyAbAssignments} a
      join ${messages} m on m.id = a.message_id and m.workspace_id = ${params.workspaceId}::uuid
      where ${test} and a.sample and m.sent_at is not null
    ), sample as (
      select s.variant, count(*)::int as sent, count(*) filter (where ${converted})::int as conversions,
        max(s.sent_at) filter (where s.rank = ${params.sampleSize}) as sample_full_at, min(s.sent_at) as first_sent_at
      from sends s where s.rank <= ${params.sampleSize} group by s.variant
    ), assigned as (
      select a.variant, count(*) filter (where a.sample)::int as assigned, count(*) filter (where not a.sample)::int as after_winner
      from ${journeyAbAssignments} a where ${test} group by a.variant
    )
    select assigned.variant, assigned.assigned, assigned.after_winner, coalesce(sample.sent, 0) as sent, coalesce(sample.conversions, 0) as conversions,
      sample.sample_full_at, sample.first_sent_at
    from assigned left join sample on sample.variant = assigned.variant
    order by assigned.variant`);
  return rowsOf<Record<string, unknown>>(result).map((row) => ({
    variant: Number(row.variant),
    assigned: Number(row.assigned),
    afterWinner: Number(row.after_winner),
    sent: Number(row.sent),
    conversions: Number(row.conversions),
    sampleFullAt: dateOf(row.sample_full_at),
    firstSentAt: dateOf(row.first_sent_at),
  }));
}

/**
 * Records the test's winner, once: only while none is recorded. Returns the test when this call
 * recorded it, undefined when another (the cron, a person, a replay) got there first.
 */
export async function recordJourneyAbWinner(
  db: Db,
  params: JourneyAbTestKey & { winner: number; result: AbRecordedResult; decidedBy: "window" | "manual"; decidedAt: Date },
): Promise<JourneyAbTestRow | undefined> {
  const [row] = await db
    .update(journeyAbTests)
    .set({ winner: params.winner, result: params.result, decidedBy: params.decidedBy, decidedAt: params.decidedAt })
    .where(and(keyOf(params), isNull(journeyAbTests.winner)))
    .returning();
  return row;
}
