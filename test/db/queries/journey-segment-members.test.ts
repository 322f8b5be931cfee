import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { countSegmentMembers, dropSegmentLeavers, listSegmentMembers, recordSegmentMembers } from "@/db/queries/journey-segment-members";
import { insertJourney } from "@/db/queries/journeys";
import { contacts } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let journeyId: string;
let ids: string[];
const at = (minute: number) => new Date(Date.UTC(2027, 2, 1, 10, minute));

beforeAll(async () => {
  database = await useTestDatabase();
  const { workspace } = await createWorkspace(database.db, { name: "Segment members" });
  journeyId = (await insertJourney(database.db, { workspaceId: workspace.id, name: "J", draft: {}, savedBy: null, now: at(0) })).id;
  const rows = await database.db
    .insert(contacts)
    .values(Array.from({ length: 4 }, (_, n) => ({ workspaceId: workspace.id, email: `c${n}@example.com` })))
    .returning({ id: contacts.id });
  ids = rows.map((row) => row.id).sort();
});
afterAll(async () => {
  await database?.close();
});

describe("journey segment members", () => {
  it("returns as entrants only the members a version had not seen, and the same ones when the page is recorded again under the same stamp", async () => {
    expect(await recordSegmentMembers(database.db, { journeyId, version: 1, contactIds: [ids[0]!, ids[1]!], stamp: at(0) })).toEqual([ids[0], ids[1]].sort());
    const next = await recordSegmentMembers(database.db, { journeyId, version: 1, contactIds: [ids[1]!, ids[2]!], stamp: at(15) });
    expect(next).toEqual([ids[2]]);
    // A retried page (same stamp) finds the entrant it recorded, and no one else.
    expect(await recordSegmentMembers(database.db, { journeyId, version: 1, contactIds: [ids[1]!, ids[2]!], stamp: at(15) })).toEqual([ids[2]]);
    expect(await recordSegmentMembers(database.db, { journeyId, version: 1, contactIds: [], stamp: at(15) })).toEqual([]);
  });

  it("drops the members an evaluation did not see, and the rows of other versions, in one statement", async () => {
    await recordSegmentMembers(database.db, { journeyId, version: 2, contactIds: [ids[3]!], stamp: at(15) });
    // Seen at 15: ids[1], ids[2]; ids[0] was last seen at 0 — it left.
    expect(await dropSegmentLeavers(database.db, { journeyId, version: 1, stamp: at(15) })).toBe(1);
    expect((await listSegmentMembers(database.db, { journeyId, version: 1 })).map((row) => row.contactId)).toEqual([ids[1], ids[2]].sort());
    expect(await countSegmentMembers(database.db, { journeyId, version: 2 })).toBe(0);
    // Coming back is a new entry.
    expect(await recordSegmentMembers(database.db, { journeyId, version: 1, contactIds: [ids[0]!, ids[1]!], stamp: at(30) })).toEqual([ids[0]]);
  });
});
