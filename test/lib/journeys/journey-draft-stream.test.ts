import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { insertJourney } from "@/db/queries/journeys";
import { journeyDraftStream } from "@/lib/journeys/journey-draft-stream";
import { saveDraftMerging } from "@/lib/journeys/save-draft-merging";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Canvas stream" }));
});
afterAll(async () => {
  await database?.close();
});

/** Reads server-sent events until `count` named events arrived. */
async function readEvents(reader: ReadableStreamDefaultReader<Uint8Array>, count: number): Promise<{ event: string; id: string | null; data: unknown }[]> {
  const decoder = new TextDecoder();
  const events: { event: string; id: string | null; data: unknown }[] = [];
  let buffer = "";
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const field = (name: string) => block.split("\n").find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2) ?? null;
      if (field("event")) events.push({ event: field("event")!, id: field("id"), data: JSON.parse(field("data")!) });
    }
  }
  return events;
}

describe("journeyDraftStream: the canvas's live saves", () => {
  it("sends the current revision, then each new save with who made it, and ends when the page goes away", async () => {
    const journey = await insertJourney(database.db, { workspaceId, name: "Live", draft: { nodes: [] }, savedBy: "api", now: new Date() });
    const abort = new AbortController();
    const reader = journeyDraftStream(database.db, { workspaceId, journeyId: journey.id, signal: abort.signal, pollMs: 20 }).getReader();
    expect(await readEvents(reader, 1)).toEqual([{ event: "revision", id: "0", data: { revision: 0, savedBy: "api" } }]);
    await saveDraftMerging(database.db, { workspaceId, journeyId: journey.id, baseRevision: 0, draft: { nodes: [], start: null }, savedBy: "dashboard:other", now: new Date() });
    expect(await readEvents(reader, 1)).toEqual([{ event: "revision", id: "1", data: { revision: 1, savedBy: "dashboard:other" } }]);
    abort.abort();
    await expect(reader.read()).resolves.toMatchObject({ done: true });
  });

  it("ends at once for a journey of another workspace", async () => {
    const journey = await insertJourney(database.db, { workspaceId, name: "Private", draft: { nodes: [] }, savedBy: null, now: new Date() });
    const { workspace: other } = await createWorkspace(database.db, { name: "Other stream" });
    const reader = journeyDraftStream(database.db, { workspaceId: other.id, journeyId: journey.id, signal: new AbortController().signal, pollMs: 20 }).getReader();
    expect(await readEvents(reader, 1)).toEqual([]);
  });
});
