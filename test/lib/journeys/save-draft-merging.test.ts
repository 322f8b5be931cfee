import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { getJourneyDraftRevision, insertJourney, listJourneyDraftRevisions } from "@/db/queries/journeys";
import { saveDraftMerging } from "@/lib/journeys/save-draft-merging";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Canvas saves" }));
});
afterAll(async () => {
  await database?.close();
});

const T1 = "00000000-0000-4000-8000-000000000001";
const start = () => ({
  trigger: { type: "event", eventName: "signup" },
  start: "welcome",
  nodes: [
    { id: "welcome", type: "send", channel: "email", templateId: T1, next: "pause" },
    { id: "pause", type: "wait", duration: { amount: 1, unit: "days" }, next: "done" },
    { id: "done", type: "exit" },
  ],
});
type Draft = ReturnType<typeof start>;
const pauseOf = (draft: Draft) => draft.nodes[1] as { duration: { amount: number } };
const edited = (change: (draft: Draft) => void) => {
  const draft = start();
  change(draft);
  return draft;
};
const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 9, minute));

async function newJourney() {
  return insertJourney(database.db, { workspaceId, name: `Journey ${Math.random()}`, draft: start(), savedBy: "api", now: at(0) });
}

describe("saveDraftMerging: the canvas's save", () => {
  it("records every save as a revision, revision 0 being the journey as created", async () => {
    const journey = await newJourney();
    const saved = await saveDraftMerging(database.db, { workspaceId, journeyId: journey.id, baseRevision: 0, draft: edited((draft) => (pauseOf(draft).duration.amount = 2)), savedBy: "dashboard:a", now: at(1) });
    expect(saved).toMatchObject({ ok: true, merged: false, journey: { draftRevision: 1 } });
    const history = await listJourneyDraftRevisions(database.db, { journeyId: journey.id, limit: 10 });
    expect(history.map((row) => [row.revision, row.savedBy, row.kind])).toEqual([
      [1, "dashboard:a", "save"],
      [0, "api", "save"],
    ]);
    expect((await getJourneyDraftRevision(database.db, { journeyId: journey.id, revision: 0 }))?.draft).toEqual(start());
  });

  it("merges a save on a stale base when the two changes touch different steps, keeping both", async () => {
    const journey = await newJourney();
    const first = await saveDraftMerging(database.db, { workspaceId, journeyId: journey.id, baseRevision: 0, draft: edited((draft) => (draft.nodes[0]!.next = "done")), savedBy: "dashboard:a", now: at(1) });
    expect(first.ok).toBe(true);
    const second = await saveDraftMerging(database.db, { workspaceId, journeyId: journey.id, baseRevision: 0, draft: edited((draft) => (pauseOf(draft).duration.amount = 5)), savedBy: "dashboard:b", now: at(2) });
    expect(second).toMatchObject({ ok: true, merged: true, journey: { draftRevision: 2 } });
    if (!second.ok) return;
    expect(second.journey.draft.nodes).toEqual([
      { id: "welcome", type: "send", channel: "email", templateId: T1, next: "done" },
      { id: "pause", type: "wait", duration: { amount: 5, unit: "days" }, next: "done" },
      { id: "done", type: "exit" },
    ]);
    expect((await listJourneyDraftRevisions(database.db, { journeyId: journey.id, limit: 1 }))[0]).toMatchObject({ revision: 2, kind: "merge", savedBy: "dashboard:b" });
  });

  it("refuses a save on a stale base that changes the same step, naming it, and changes nothing", async () => {
    const journey = await newJourney();
    await saveDraftMerging(database.db, { workspaceId, journeyId: journey.id, baseRevision: 0, draft: edited((draft) => (pauseOf(draft).duration.amount = 2)), savedBy: "dashboard:a", now: at(1) });
    const refused = await saveDraftMerging(database.db, { workspaceId, journeyId: journey.id, baseRevision: 0, draft: edited((draft) => (pauseOf(draft).duration.amount = 9)), savedBy: "dashboard:b", now: at(2) });
    expect(refused).toMatchObject({ ok: false, reason: "conflict", conflicts: [{ nodeId: "pause", message: "step pause: both of you changed it" }], journey: { draftRevision: 1 } });
    expect(await listJourneyDraftRevisions(database.db, { journeyId: journey.id, limit: 10 })).toHaveLength(2);
  });

  it("answers not_found for another workspace's journey", async () => {
    const journey = await newJourney();
    const { workspace: other } = await createWorkspace(database.db, { name: "Other canvas" });
    expect(await saveDraftMerging(database.db, { workspaceId: other.id, journeyId: journey.id, baseRevision: 0, draft: start(), savedBy: null, now: at(1) })).toEqual({ ok: false, reason: "not_found" });
  });
});
