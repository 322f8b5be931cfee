import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { countDeadLetters, deadLetterMessages, getDeadLetter, listDeadLetters, requeueDeadLetters } from "@/db/queries/dead-letters";
import { listMessageAttempts, recordMessageAttempts } from "@/db/queries/message-attempts";
import { advanceMessageStatus, findMessageById, insertMessage } from "@/db/queries/messages";
import { messages } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let mine: string;
let theirs: string;

const message = async (workspaceId: string, key: string, values: Partial<typeof messages.$inferInsert> = {}) =>
  (await insertMessage(database.db, { workspaceId, idempotencyKey: key, channel: "email", recipient: `${key}@example.com`, request: { data: {} }, ...values })).row;

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 1, 12, minutes));

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: mine } } = await createWorkspace(database.db, { name: "Mine" }));
  ({ workspace: { id: theirs } } = await createWorkspace(database.db, { name: "Theirs" }));
});
afterAll(() => database.close());

describe("deadLetterMessages", () => {
  it("marks queued and sending messages failed and dead-lettered, and leaves final ones alone", async () => {
    const queued = await message(mine, "dl-queued");
    const sending = await message(mine, "dl-sending", { status: "sending" });
    const refused = await message(mine, "dl-refused");
    await advanceMessageStatus(database.db, { workspaceId: mine, messageId: refused.id, to: "failed", set: { error: "invalid address" } });
    const sent = await message(mine, "dl-sent", { status: "sent" });
    const other = await message(theirs, "dl-theirs");

    const marked = await deadLetterMessages(database.db, { workspaceId: mine, messageIds: [queued.id, sending.id, refused.id, sent.id, other.id], error: "resend: down (HTTP 503)", at: at(1) });

    expect(marked.map((row) => row.id).sort()).toEqual([queued.id, sending.id].sort());
    expect(await findMessageById(database.db, { messageId: queued.id })).toMatchObject({ status: "failed", error: "resend: down (HTTP 503)", deadLetteredAt: at(1), failedAt: at(1) });
    expect(await findMessageById(database.db, { messageId: refused.id })).toMatchObject({ status: "failed", error: "invalid address", deadLetteredAt: null });
    expect(await findMessageById(database.db, { messageId: sent.id })).toMatchObject({ status: "sent", deadLetteredAt: null });
    expect(await findMessageById(database.db, { messageId: other.id })).toMatchObject({ status: "queued" });
  });
});

describe("listing dead letters", () => {
  let ids: Record<string, string>;
  beforeAll(async () => {
    ids = {};
    const seed = [
      { key: "l-email-old", channel: "email" as const, error: "resend: Internal Error (HTTP 500)", at: at(10) },
      { key: "l-sms", channel: "sms" as const, error: "twilio: request timed out", at: at(11) },
      { key: "l-email-new", channel: "email" as const, error: "Twilio SMS needs TWILIO_FROM", at: at(12) },
      { key: "l-campaign", channel: "email" as const, error: "resend: Internal Error (HTTP 500)", at: at(13), kind: "campaign" as const },
    ];
    for (const row of seed) {
      const created = await message(mine, row.key, { channel: row.channel, kind: row.kind ?? "transactional" });
      await deadLetterMessages(database.db, { workspaceId: mine, messageIds: [created.id], error: row.error, at: row.at });
      ids[row.key] = created.id;
    }
    await recordMessageAttempts(database.db, [
      { workspaceId: mine, messageId: ids["l-email-old"]!, provider: "resend", outcome: "failed", error: "first", attempt: 1, at: at(9) },
      { workspaceId: mine, messageId: ids["l-email-old"]!, provider: "resend", outcome: "rate-limited", error: "slow down", attempt: 2, at: at(10) },
    ]);
    const theirsRow = await message(theirs, "l-theirs");
    await deadLetterMessages(database.db, { workspaceId: theirs, messageIds: [theirsRow.id], error: "resend: Internal Error (HTTP 500)", at: at(12) });
  });

  const keysOf = (rows: { idempotencyKey: string }[]) => rows.map((row) => row.idempotencyKey);
  const window = { from: at(10), to: at(14) };

  it.each([
    ["no filter", {}, ["l-campaign", "l-email-new", "l-sms", "l-email-old"]],
    ["channel", { channel: "sms" as const }, ["l-sms"]],
    ["kind", { kind: "transactional" as const }, ["l-email-new", "l-sms", "l-email-old"]],
    ["error text, any case", { errorContains: "internal error" }, ["l-campaign", "l-email-old"]],
    ["error text with LIKE wildcards taken literally", { errorContains: "%" }, []],
    ["dead-lettered between (from inclusive, to exclusive)", { from: at(11), to: at(13) }, ["l-email-new", "l-sms"]],
  ])("filters by %s, newest first, within the workspace", async (_name, filter, expected) => {
    const rows = await listDeadLetters(database.db, { workspaceId: mine, filter: { ...window, ...filter }, limit: 10 });
    expect(keysOf(rows)).toEqual(expected);
    expect(await countDeadLetters(database.db, { workspaceId: mine, filter: { ...window, ...filter } })).toBe(expected.length);
  });

  it("pages on (dead_lettered_at, id) and counts each one's attempts", async () => {
    const first = await listDeadLetters(database.db, { workspaceId: mine, filter: window, limit: 3 });
    const last = first.at(-1)!;
    const second = await listDeadLetters(database.db, { workspaceId: mine, filter: window, limit: 3, after: { at: last.deadLetteredAt, id: last.id } });
    expect([...keysOf(first), ...keysOf(second)]).toEqual(["l-campaign", "l-email-new", "l-sms", "l-email-old"]);
    expect(second[0]).toMatchObject({ attemptCount: 2, deadLetteredAt: at(10) });
  });

  it("gets one with its attempts, never another workspace's", async () => {
    expect(await getDeadLetter(database.db, { workspaceId: mine, messageId: ids["l-email-old"]! })).toMatchObject({ attemptCount: 2 });
    expect(await getDeadLetter(database.db, { workspaceId: theirs, messageId: ids["l-email-old"]! })).toBeUndefined();
    const attempts = await listMessageAttempts(database.db, { workspaceId: mine, messageId: ids["l-email-old"]! });
    expect(attempts.map((attempt) => [attempt.attempt, attempt.outcome, attempt.error])).toEqual([
      [1, "failed", "first"],
      [2, "rate-limited", "slow down"],
    ]);
    expect(await listMessageAttempts(database.db, { workspaceId: theirs, messageId: ids["l-email-old"]! })).toEqual([]);
  });
});

describe("requeueDeadLetters", () => {
  it("queues a dead letter again once: failed → queued, mark and error cleared, retry count up", async () => {
    const row = await message(mine, "r-once");
    await deadLetterMessages(database.db, { workspaceId: mine, messageIds: [row.id], error: "down" });

    const [first, second] = await Promise.all([
      requeueDeadLetters(database.db, { workspaceId: mine, messageIds: [row.id], limit: 1 }),
      requeueDeadLetters(database.db, { workspaceId: mine, messageIds: [row.id], limit: 1 }),
    ]);
    expect([...first, ...second]).toEqual([{ id: row.id, retryCount: 1, channel: "email" }]);
    expect(await findMessageById(database.db, { messageId: row.id })).toMatchObject({ status: "queued", deadLetteredAt: null, error: null, failedAt: null, retryCount: 1 });
    expect(await requeueDeadLetters(database.db, { workspaceId: mine, messageIds: [row.id], limit: 1 })).toEqual([]);
  });

  it("leaves plain failures, campaign messages and other workspaces' dead letters alone", async () => {
    const refused = await message(mine, "r-refused");
    await advanceMessageStatus(database.db, { workspaceId: mine, messageId: refused.id, to: "failed", set: { error: "invalid address" } });
    const campaign = await message(mine, "r-campaign", { kind: "campaign" });
    const foreign = await message(theirs, "r-theirs");
    await deadLetterMessages(database.db, { workspaceId: mine, messageIds: [campaign.id], error: "down" });
    await deadLetterMessages(database.db, { workspaceId: theirs, messageIds: [foreign.id], error: "down" });
    expect(await requeueDeadLetters(database.db, { workspaceId: mine, messageIds: [refused.id, campaign.id, foreign.id], limit: 10 })).toEqual([]);
  });

  it("takes at most `limit` matching the filter, oldest first, and concurrent bulk retries never take one twice", async () => {
    const created = [];
    for (let i = 0; i < 6; i++) created.push(await message(mine, `r-bulk-${i}`, { channel: "sms" }));
    for (const [i, row] of created.entries()) await deadLetterMessages(database.db, { workspaceId: mine, messageIds: [row.id], error: "bulk outage", at: at(30 + i) });
    const filter = { channel: "sms" as const, errorContains: "bulk outage" };

    const oldest = await requeueDeadLetters(database.db, { workspaceId: mine, filter, limit: 2 });
    expect(oldest.map((row) => row.id)).toEqual(created.slice(0, 2).map((row) => row.id));

    const racing = await Promise.all([1, 2, 3].map(() => requeueDeadLetters(database.db, { workspaceId: mine, filter, limit: 10 })));
    const taken = racing.flat().map((row) => row.id);
    expect(taken.sort()).toEqual(created.slice(2).map((row) => row.id).sort());
    expect(await countDeadLetters(database.db, { workspaceId: mine, filter })).toBe(0);
  });
});
