import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { getDateAutomation, insertDateAutomation, listDateSends, updateDateAutomation } from "@/db/queries/date-automations";
import { saveDeliverySettings } from "@/db/queries/delivery-settings";
import { insertTemplate } from "@/db/queries/templates";
import { contacts, messages } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";

const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const { sendDateAutomation } = await import("@/inngest/functions/automations/send-date-automation");

let database: Database;
let workspaceId: string;
let templateId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Sender" }));
  await saveDeliverySettings(database.db, { workspaceId, quietHoursStart: null, quietHoursEnd: null, timezone: "Asia/Tokyo" });
  templateId = (await insertTemplate(database.db, { workspaceId, channel: "email", name: "Anniversary", subject: "A year with us", body: "<p>Thanks</p>" }))!.id;
  await database.db.insert(contacts).values([
    { workspaceId, email: "due@example.com", attributes: { renewal: "--06-15" } },
    { workspaceId, email: "paris@example.com", timezone: "Europe/Paris", attributes: { renewal: "--06-15" } },
  ]);
}, 120_000);
afterAll(async () => {
  vi.useRealTimers();
  await database.close();
  await recorder.stop();
});

const automation = () =>
  insertDateAutomation(database.db, { workspaceId, now: new Date(), name: "Renewals", dateField: "attribute:renewal", sendHour: 10, sendMinute: 0, channel: "email", templateId, category: null, fromAddress: null });
const run = (automationId: string, zone: string, localDate: string) =>
  new InngestTestEngine({ function: sendDateAutomation }).execute({ events: [{ name: "automation/date.due", data: { workspaceId, automationId, zone, localDate } }] } as never);

describe("send-date-automation", () => {
  it("sends to the zone's contacts only (the workspace's zone for those without one), once, however often it runs", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(new Date("2027-06-15T01:30:00Z")); // 10:30 in Tokyo, 03:30 in Paris
    const { id } = await automation();
    expect((await run(id, "Asia/Tokyo", "2027-06-15")).result).toEqual({ queued: 1, skipped: 0 });
    expect((await run(id, "Asia/Tokyo", "2027-06-15")).result).toEqual({ queued: 0, skipped: 0 });
    const sends = await listDateSends(database.db, { automationId: id });
    expect(sends).toHaveLength(1);
    const [message] = await database.db.select().from(messages).where(eq(messages.id, sends[0]!.messageId!));
    expect(message).toMatchObject({ recipient: "due@example.com", templateId });
  });

  it("sends nothing for a zone whose send time has not come, or whose local day has ended (expired)", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(new Date("2027-06-15T01:30:00Z"));
    const { id } = await automation();
    expect((await run(id, "Europe/Paris", "2027-06-15")).result).toEqual({ queued: 0, skipped: 0, reason: "expired" });
    vi.setSystemTime(new Date("2027-06-15T16:00:00Z")); // 01:00 on the 16th in Tokyo
    expect((await run(id, "Asia/Tokyo", "2027-06-15")).result).toEqual({ queued: 0, skipped: 0, reason: "expired" });
    expect(await listDateSends(database.db, { automationId: id })).toEqual([]);
  });

  it("sends nothing for a paused automation", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(new Date("2027-06-15T09:00:00Z")); // 11:00 in Paris
    const { id } = await automation();
    await updateDateAutomation(database.db, { workspaceId, automationId: id, now: new Date(), changes: { status: "paused", statusReason: "paused by test" } });
    expect((await run(id, "Europe/Paris", "2027-06-15")).result).toEqual({ queued: 0, skipped: 0, reason: "paused" });
    expect(await getDateAutomation(database.db, { workspaceId, automationId: id })).toMatchObject({ status: "paused" });
  });
});
