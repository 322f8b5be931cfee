import { journeyAbVariantOf } from "@/core/journeys/ab-variant-of";
import type { JourneyAbTest } from "@/core/journeys/journey-ab-test";
import type { Db } from "@/db";
import { insertJourneyAbAssignment, openJourneyAbTest, type JourneyAbAssignment } from "@/db/queries/journey-ab-tests";
import type { JourneyEnrollment } from "@/db/queries/journeys";

/**
 * The variant of an A/B send step an enrollment gets on this visit: the recorded one when a retry
 * or replay asks again; else, while the test has no winner, a hash of (version, step, enrollment);
 * after it, the winner. A winner recorded between the read and the insert leaves this enrollment
 * on its hashed variant, counted in the test like any other before the decision — harmless, as the
 * decision's counts are the ones recorded with it.
 */
export async function assignAbVariant(
  db: Db,
  params: { enrollment: Pick<JourneyEnrollment, "id" | "workspaceId" | "journeyId" | "version" | "contactId">; nodeId: string; test: JourneyAbTest; visit: number; now: Date },
): Promise<JourneyAbAssignment> {
  const { enrollment, nodeId, now } = params;
  const key = { journeyId: enrollment.journeyId, version: enrollment.version, nodeId };
  const test = await openJourneyAbTest(db, { ...key, workspaceId: enrollment.workspaceId, now });
  const variant = test.winner ?? journeyAbVariantOf({ version: enrollment.version, nodeId, enrollmentId: enrollment.id, variants: params.test.variants.length });
  return insertJourneyAbAssignment(db, {
    ...key,
    enrollmentId: enrollment.id,
    visit: params.visit,
    workspaceId: enrollment.workspaceId,
    contactId: enrollment.contactId,
    variant,
    sample: test.winner === null,
    now,
  });
}
