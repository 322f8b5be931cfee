import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createProviders } from "@/lib/providers/create-providers";
import type { Database } from "@/db";
import { advanceMessageStatus, claimMessagesForSend, findMessageById, insertMessage } from "@/db/queries/messages";
import { listOutboxMessages } from "@/db/queries/outbox-messages";
import { suppress } from "@/db/queries/suppressions";
import type { Providers } from "@/lib/notifications/deliver-message";
import { type BatchPacing, deliverNotificationBatch, type MessageRef } from "@/lib/notifications/deliver-notification-batch";
import { ResendEmailProvider } from "@/lib/providers/email/resend/resend-email-provider";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { type FakeResend, startFakeResend } from "@/test/fakes/fake-resend";
import { useTestDatabase } from "@/test/support/database";
import { listMessageEngagement } from "@/db/queries/engagement-events";

let database: Database;
let workspaceId: string;
let otherWorkspaceId: string;
let outbox: Providers;
let resend: FakeResend;
let viaResend: Providers;
let n = 0;
const waits = { email: 0, sms: [] as number[] };

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Batch" }));
  ({ workspace: { id: otherWorkspaceId } } = await createWorkspace(database.db, { name: "Other" }));
  outbox = createProviders(database.db, {});
  resend = await startFakeResend({ rateLimit: false });
  viaResend = { ...outbox, email: new ResendEmailProvider({ apiKey: resend.apiKey, baseUrl: resend.url }) };
});
afterAll(async () => {
  await resend.stop();
  await database.close();
});
beforeEach(() => {
  waits.email = 0;
  waits.sms = [];
});

const pacing = (smsDeadline = Date.now() + 60_000): BatchPacing => ({
  emailSlot: async () => void waits.email++,
  smsSlot: async (segments) => void waits.sms.push(segments),
  smsDeadline,
});

async function queued(fields: { channel?: "email" | "sms"; recipient?: string; body?: string } = {}): Promise<MessageRef> {
  const channel = fields.channel ?? "email";
  const { row } = await insertMessage(database.db, {
    workspaceId,
    idempotencyKey: `batch-${++n}`,
    channel,
    recipient: fields.recipient ?? (channel === "email" ? `r${n}@example.com` : `+1415555${String(1000 + n).slice(-4)}`),
    request: { subject: channel === "email" ? "Hi {{ name }}" : undefined, body: fields.body ?? "Hello {{ name }}", data: { name: `N${n}` } },
  });
  return { workspaceId, messageId: row.id };
}
const deliver = (requests: MessageRef[], providers: Providers = outbox, batchPacing = pacing()) =>
  deliverNotificationBatch(database.db, providers, { requests, pacing: batchPacing });
const reload = async (ref: MessageRef) => (await findMessageById(database.db, { messageId: ref.messageId }))!;
const emailCalls = () => resend.requests.filter((r) => r.path.startsWith("/emails") && r.method === "POST");

describe("deliverNotificationBatch", () => {
  it("sends a batch's emails in one provider call, each once; a retry or replay sends nothing", async () => {
    const refs = [await queued(), await queued(), await queued()];
    const calls = emailCalls().length;
    expect(await deliver(refs, viaResend)).toEqual({ sent: 3, suppressed: 0, failed: 0, skipped: 0, retryAt: null, more: false });
    expect(emailCalls().length - calls).toBe(1);
    for (const ref of refs) expect(await reload(ref)).toMatchObject({ status: "sent", provider: "resend", providerMessageId: expect.any(String), subject: expect.stringMatching(/^Hi N\d+$/) });
    expect(await deliver(refs, viaResend)).toMatchObject({ sent: 0, skipped: 3 });
    expect(emailCalls().length - calls).toBe(1);
    // Each message's "sent" fact, appended with its status, once.
    for (const ref of refs) {
      expect((await listMessageEngagement(database.db, ref)).map((event) => [event.type, event.source, event.dedupeKey])).toEqual([["sent", "send", `sent:${ref.messageId}`]]);
    }
  });

  it("gives each message its own outcome: suppressed, unrenderable and another workspace's are not sent, the rest are", async () => {
    const good = await queued();
    const gone = await queued({ recipient: "gone@example.com" });
    await suppress(database.db, { workspaceId, channel: "email", address: "gone@example.com", reason: "hard_bounce" });
    const broken = await queued({ body: "{% if %}" });
    const foreign = { ...(await queued()), workspaceId: otherWorkspaceId };
    expect(await deliver([good, gone, broken, foreign])).toMatchObject({ sent: 1, suppressed: 1, failed: 1, skipped: 1 });
    expect((await reload(gone)).status).toBe("suppressed");
    expect((await reload(broken)).status).toBe("failed");
    // The event's workspace was not the message's: the message is left as it was.
    expect((await reload(foreign)).status).toBe("queued");
    expect(await listOutboxMessages(database.db, { workspaceId, filter: { messageId: good.messageId }, limit: 5 })).toHaveLength(1);
  });

  it("waits out a 429 without failing anyone, then sends the same call under the same key", async () => {
    const refs = [await queued(), await queued()];
    resend.failNext(1, { status: 429 });
    const first = await deliver(refs, viaResend);
    expect(first).toMatchObject({ sent: 0, failed: 0, retryAt: expect.any(String) });
    const [a, b] = [await reload(refs[0]!), await reload(refs[1]!)];
    expect(a).toMatchObject({ status: "sending", sendKey: expect.stringMatching(/^notify-/) });
    expect(b.sendKey).toBe(a.sendKey);
    expect(await deliver(refs, viaResend)).toMatchObject({ sent: 2, retryAt: null });
    expect(emailCalls().slice(-2).map((r) => [r.status, r.idempotencyKey])).toEqual([[429, a.sendKey], [200, a.sendKey]]);
  });

  it("sends a message whose earlier call was taken (answer lost) not again, even in a later batch with new company", async () => {
    const carried = await queued({ recipient: "lost-answer@example.com" });
    const mate = await queued();
    // The provider takes the call but the answer never arrives; the step gives up for now.
    resend.failNext(1, { status: 500, afterAccept: true });
    await expect(deliver([carried, mate], viaResend)).rejects.toThrow();
    const key = (await reload(carried)).sendKey;
    // Later (a dead letter retried, say) the message comes back without its mate and beside a new one.
    await advanceMessageStatus(database.db, { workspaceId, messageId: mate.messageId, to: "failed", set: { error: "gave up" } });
    const fresh = await queued();
    const before = resend.emails.filter((email) => email.to.includes("lost-answer@example.com")).length;
    expect(await deliver([carried, fresh], viaResend)).toMatchObject({ sent: 2, failed: 0 });
    expect(resend.emails.filter((email) => email.to.includes("lost-answer@example.com")).length).toBe(before);
    expect((await reload(carried)).sendKey).toBe(key);
    expect(resend.duplicateSends()).toEqual([]);
  });

  it("sends a call a crashed run had claimed whole, whichever of its messages a later batch brings first", async () => {
    // A run claimed four messages for one call and died before the call; after the restart the
    // engine hands them back split over two batches.
    const refs = [await queued(), await queued(), await queued(), await queued()];
    await claimMessagesForSend(database.db, { messages: refs, sendKey: "notify-crashed-run" });
    const recipients = await Promise.all(refs.map(async (ref) => (await reload(ref)).recipient));
    const calls = emailCalls().length;
    // The first batch's call carries the two it does not hold as well.
    expect(await deliver(refs.slice(0, 2), viaResend)).toMatchObject({ sent: 4, failed: 0 });
    expect(await deliver(refs.slice(2), viaResend)).toMatchObject({ sent: 0, skipped: 2 });
    // One call under the stored key carried all four: each went out once.
    expect(emailCalls().slice(calls).map((r) => [r.status, r.idempotencyKey])).toEqual([[200, "notify-crashed-run"]]);
    for (const recipient of recipients) expect(resend.emails.filter((email) => email.to.includes(recipient))).toHaveLength(1);
    for (const ref of refs) expect(await reload(ref)).toMatchObject({ status: "sent", providerMessageId: expect.any(String) });
  });

  it("never claims a message for a call when another run has claimed it for its own", async () => {
    const [ref, mine] = [await queued(), await queued()];
    // Both runs loaded the message without a key; the other claimed it first.
    expect(await claimMessagesForSend(database.db, { messages: [ref], sendKey: "notify-other-run" })).toEqual(new Set([ref.messageId]));
    expect(await claimMessagesForSend(database.db, { messages: [ref, mine], sendKey: "notify-this-run" })).toEqual(new Set([mine.messageId]));
    expect((await reload(ref)).sendKey).toBe("notify-other-run");
    // Its own call, under its key, still takes it: a retry of the other run, or a later batch.
    expect(await claimMessagesForSend(database.db, { messages: [ref], sendKey: "notify-other-run" })).toEqual(new Set([ref.messageId]));
  });

  it("fails every message of a call the provider refuses for good, with its reason", async () => {
    const refs = [await queued(), await queued()];
    resend.failNext(1, { status: 422 });
    expect(await deliver(refs, viaResend)).toMatchObject({ sent: 0, failed: 2 });
    expect((await reload(refs[0]!)).status).toBe("failed");
  });

  it("paces each SMS at its sender by segments, and hands what is left to the next step past the deadline", async () => {
    const short = await queued({ channel: "sms", body: "Code {{ name }}" });
    const long = await queued({ channel: "sms", body: "x".repeat(200) });
    expect(await deliver([short, long])).toMatchObject({ sent: 2, more: false });
    expect(waits.sms).toEqual([1, 2]);
    const late = await queued({ channel: "sms" });
    expect(await deliver([late], outbox, pacing(Date.now() - 1))).toMatchObject({ sent: 0, more: true });
    expect((await reload(late)).status).toBe("queued");
  });
});
