import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { mailboxConnections } from "@/db/schema";
import { insertMailboxConnection } from "@/db/queries/mailbox-connections";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";
import { sentEvents } from "@/test/inngest/functions/imports/import-harness";

const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const { scheduleMailboxSyncs } = await import("@/inngest/functions/mailbox/schedule-mailbox-syncs");

let database: Database;
let workspaceId: string;
const ids: Record<string, string> = {};
const SLOT = new Date("2026-12-07T10:15:00.000Z");

beforeAll(async () => {
  database = await useTestDatabase();
  workspaceId = (await createWorkspace(database.db, { name: "Schedule" })).workspace.id;
  const add = async (name: string, values: Partial<typeof mailboxConnections.$inferInsert>) => {
    const row = await insertMailboxConnection(database.db, { workspaceId, kind: "imap", label: name, ownerAddresses: [], storeBodies: false, ...values } as never);
    ids[name] = row.id;
    if (values.status || values.backfilledAt || values.lastSyncedAt || values.createdAt) {
      await database.db
        .update(mailboxConnections)
        .set({ status: values.status, backfilledAt: values.backfilledAt, lastSyncedAt: values.lastSyncedAt, createdAt: values.createdAt, cursor: values.cursor })
        .where(eq(mailboxConnections.id, row.id));
    }
  };
  const longAgo = new Date(SLOT.getTime() - 3_600_000);
  await add("synced", { backfilledAt: longAgo, lastSyncedAt: longAgo, createdAt: longAgo });
  await add("gmail", { kind: "gmail", backfilledAt: longAgo, lastSyncedAt: longAgo, createdAt: longAgo });
  await add("backfilling", { lastSyncedAt: new Date(SLOT.getTime() - 60_000), createdAt: longAgo });
  await add("stalled", { lastSyncedAt: longAgo, createdAt: longAgo, cursor: { pages: 7, source: {} } });
  await add("import", { kind: "import", createdAt: longAgo });
  await add("paused", { status: "paused", createdAt: longAgo });
  await add("reconnect", { status: "reconnect", createdAt: longAgo });
  await add("disconnected", { status: "disconnected", createdAt: longAgo });
});
afterAll(async () => {
  await database.close();
  await recorder.stop();
});

const round = async (at: Date) => {
  const { result, ctx } = await new InngestTestEngine({ function: scheduleMailboxSyncs }).execute({ events: [{ name: "inngest/scheduled.timer", data: { cron: "*/15 * * * *" }, ts: at.getTime() } as never] });
  return { result, sent: sentEvents(ctx) as { name: string; id: string; data: { connectionId: string; mode: string } }[] };
};

describe("schedule-mailbox-syncs", () => {
  it("asks every active IMAP and Gmail connection for an incremental sync, resumes stalled backfills, and leaves imports and stopped connections alone", async () => {
    const { result, sent } = await round(new Date(SLOT.getTime() + 42_000));
    expect(result).toMatchObject({ incremental: 4, backfills: 1 });
    const slot = SLOT.toISOString();
    expect(sent).toEqual(
      expect.arrayContaining(
        ["synced", "gmail", "backfilling", "stalled"].map((name) => ({ name: "mailbox/sync.requested", id: `mailbox-incremental-${ids[name]}-slot-${slot}`, data: { workspaceId, connectionId: ids[name], mode: "incremental" } })),
      ),
    );
    // The backfill still committing pages has a run going; the stalled one is resumed from its cursor position.
    expect(sent.filter((event) => event.data.mode === "backfill")).toEqual([
      { name: "mailbox/sync.requested", id: `mailbox-backfill-${ids.stalled}-resume-at-7`, data: { workspaceId, connectionId: ids.stalled, mode: "backfill" } },
    ]);
    const untouched = new Set([ids.import, ids.paused, ids.reconnect, ids.disconnected]);
    expect(sent.filter((event) => untouched.has(event.data.connectionId))).toEqual([]);
  });

  it("names its events after the 15-minute slot, so a replayed round sends the same ids and the next round new ones", async () => {
    const first = await round(new Date(SLOT.getTime() + 1_000));
    const replay = await round(new Date(SLOT.getTime() + 14 * 60_000));
    const next = await round(new Date(SLOT.getTime() + 15 * 60_000));
    const idsOf = (events: { id: string }[]) => events.map((event) => event.id).sort();
    expect(idsOf(replay.sent)).toEqual(idsOf(first.sent));
    const incrementalIds = (events: { id: string; data: { mode: string } }[]) => new Set(events.filter((event) => event.data.mode === "incremental").map((event) => event.id));
    const overlap = [...incrementalIds(next.sent)].filter((id) => incrementalIds(first.sent).has(id));
    expect(overlap).toEqual([]);
  });
});
