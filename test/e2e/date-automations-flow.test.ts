import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { listDateSends } from "@/db/queries/date-automations";
import { saveDeliverySettings } from "@/db/queries/delivery-settings";
import { insertTemplate } from "@/db/queries/templates";
import { contacts, messages } from "@/db/schema";
import { dueEventId } from "@/core/automations/zone-plan";
import { dateAutomationsApi } from "@/lib/api/contracts/date-automations";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { useTestDatabase } from "@/test/support/database";
import { useTestClock } from "@/test/support/test-clock";

/**
 * Date automations end to end: the real plan (its cron fired with time moved for the app and the
 * engine together) fans out one run per zone whose local 09:00 has come, the sender claims each
 * contact once a year and queues its message on the ordinary send path, and it lands as sent.
 * 28 February 2027 (not a leap year): birthdays in New York, Paris and Tokyo, a 29 February
 * birthday, a contact without a zone (the workspace's, Paris), one hidden by an erasure request.
 */
let app: Awaited<ReturnType<typeof startAppEngine>>;
let database: Database;
let apiKey: string;
let workspaceId: string;
let templateId: string;
let routes: {
  list: typeof import("@/app/api/v1/date-automations/route");
  preview: typeof import("@/app/api/v1/date-automations/[id]/preview/route");
};
const people: Record<string, string> = {};

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Birthdays" }));
  await saveDeliverySettings(database.db, { workspaceId, quietHoursStart: null, quietHoursEnd: null, timezone: "Europe/Paris" });
  templateId = (await insertTemplate(database.db, { workspaceId, channel: "email", name: "Birthday", subject: "Happy birthday, {{ contact.first_name }}", body: "<p>Happy birthday!</p>" }))!.id;
  const rows = await database.db
    .insert(contacts)
    .values([
      { workspaceId, email: "nina@example.com", firstName: "Nina", timezone: "America/New_York", birthday: "1990-02-28", birthdayMonth: 2, birthdayDay: 28 },
      { workspaceId, email: "paul@example.com", firstName: "Paul", timezone: "Europe/Paris", birthdayMonth: 2, birthdayDay: 28 },
      { workspaceId, email: "taro@example.com", firstName: "Taro", timezone: "Asia/Tokyo", birthday: "1985-02-28", birthdayMonth: 2, birthdayDay: 28 },
      { workspaceId, email: "leap@example.com", firstName: "Leap", timezone: "Europe/Paris", birthday: "2000-02-29", birthdayMonth: 2, birthdayDay: 29 },
      { workspaceId, email: "zoneless@example.com", firstName: "Zed", birthdayMonth: 2, birthdayDay: 28 },
      { workspaceId, email: "march@example.com", firstName: "Mars", timezone: "Europe/Paris", birthdayMonth: 3, birthdayDay: 1 },
      { workspaceId, email: "hidden@example.com", firstName: "Hid", timezone: "Europe/Paris", birthdayMonth: 2, birthdayDay: 28, erasureRequestedAt: new Date() },
    ])
    .returning();
  for (const row of rows) people[row.firstName!] = row.id;
  app = await startAppEngine();
  routes = { list: await import("@/app/api/v1/date-automations/route"), preview: await import("@/app/api/v1/date-automations/[id]/preview/route") };
}, 180_000);
afterAll(async () => {
  vi.useRealTimers();
  await app?.stop();
  await database?.close();
});

async function fireCronNow(functionId: string) {
  const { store } = app.engine.ctx;
  const [job] = (await store.jobsOfKind("cron")).filter((row) => String(row.payload.fnId).endsWith(`-${functionId}`));
  if (!job) throw new Error(`no cron job for ${functionId}`);
  await store.releaseJob(job.id, Date.now());
  app.engine.ctx.poke(Date.now());
}

const senderRuns = () => app.engine.listRuns({ fnId: "sendline-send-date-automation", limit: 1000 });
const planRuns = () => app.engine.listRuns({ fnId: "sendline-plan-date-automations", limit: 1000 });
const settled = (status: string) => status === "completed" || status === "failed" || status === "cancelled";
/** Fires the plan and waits for it (and every sender run it started) to finish. */
async function planAndSettle() {
  const before = (await planRuns()).length;
  await fireCronNow("plan-date-automations");
  await waitFor(planRuns, (runs) => runs.length > before && runs.every((run) => settled(run.status)), 60_000);
  await waitFor(senderRuns, (runs) => runs.every((run) => settled(run.status)), 60_000);
}
const sentTo = async (automationId: string) => {
  const sends = await listDateSends(database.db, { automationId });
  return Object.entries(people)
    .filter(([, id]) => sends.some((send) => send.contactId === id && send.messageId))
    .map(([name]) => name)
    .sort();
};
const messagesOf = (contactId: string) => database.db.select().from(messages).where(and(eq(messages.workspaceId, workspaceId), eq(messages.contactId, contactId)));

describe("a birthday automation through the engine", () => {
  it("sends once per contact at 09:00 local in New York, Paris and Tokyo, 29 February on 28 February 2027, and never again", { timeout: 240_000 }, async () => {
    const clock = useTestClock(new Date("2027-02-27T20:00:00Z"));
    const created = await callRoute(routes.list.POST, {
      method: "POST",
      path: "/api/v1/date-automations",
      apiKey,
      body: { name: "Birthdays", dateField: "birthday", sendHour: 9, sendMinute: 0, channel: "email", templateId },
    });
    expect(created.status).toBe(201);
    const automationId = created.body.id as string;

    // The preview for "tomorrow" (in Paris, 28 February): every visible contact whose day it is there.
    const preview = await callRoute(routes.preview.GET, { path: `/api/v1/date-automations/${automationId}/preview?day=tomorrow`, apiKey, params: { id: automationId } });
    expect(preview.status).toBe(200);
    expect(dateAutomationsApi.preview.responses[200].schema.parse(preview.body)).toEqual(preview.body);
    expect(preview.body).toMatchObject({ day: "2027-02-28", count: 5 });
    const nina = preview.body.sample.find((row: { contactId: string }) => row.contactId === people.Nina);
    expect(nina).toMatchObject({ zone: "America/New_York", localSendTime: "2027-02-28T09:00", sendAt: "2027-02-28T14:00:00.000Z" });

    // 00:05 UTC: 09:05 in Tokyo. Only Taro.
    clock.set(new Date("2027-02-28T00:05:00Z"));
    await planAndSettle();
    expect(await sentTo(automationId)).toEqual(["Taro"]);

    // 08:05 UTC: 09:05 in Paris: Paul, the leapling (29 February on the 28th), the contact without a zone.
    clock.set(new Date("2027-02-28T08:05:00Z"));
    await planAndSettle();
    expect(await sentTo(automationId)).toEqual(["Leap", "Paul", "Taro", "Zed"]);

    // 14:05 UTC: 09:05 in New York.
    clock.set(new Date("2027-02-28T14:05:00Z"));
    await planAndSettle();
    expect(await sentTo(automationId)).toEqual(["Leap", "Nina", "Paul", "Taro", "Zed"]);

    // Each got exactly one message, and it was delivered; the hidden contact and the 1 March birthday got none.
    for (const name of ["Leap", "Nina", "Paul", "Taro", "Zed"]) {
      const rows = await waitFor(() => messagesOf(people[name]!), (list) => list.length === 1 && !["queued", "sending"].includes(list[0]!.status), 60_000);
      // Handed to the development outbox (sent), which may already have reported it delivered.
      expect(rows[0]!.status).toMatch(/^(sent|delivered)$/);
      expect(rows[0]!.error).toBeNull();
      expect(rows[0]).toMatchObject({ templateId, channel: "email", idempotencyKey: `date-automation:${automationId}:${people[name]}:2027` });
    }
    expect(await messagesOf(people.Hid!)).toEqual([]);
    expect(await messagesOf(people.Mars!)).toEqual([]);

    // The plan firing again, the due event replayed (same id) and re-sent under a new id, a run replayed: nothing new.
    const zoneRuns = (await senderRuns()).filter((run) => run.status === "completed");
    expect(zoneRuns.length).toBeGreaterThanOrEqual(3);
    await planAndSettle();
    const paris = { workspaceId, automationId, zone: "Europe/Paris", localDate: "2027-02-28" };
    await app.engine.send([
      { name: "automation/date.due", data: paris, id: dueEventId(automationId, Date.parse(created.body.updatedAt), paris) },
      { name: "automation/date.due", data: paris, id: "replayed-by-hand" },
      { name: "automation/date.due", data: { ...paris, zone: "America/New_York" }, id: "replayed-new-york" },
    ]);
    for (const run of zoneRuns) await app.engine.replay(run.id);
    await waitFor(senderRuns, (runs) => runs.length >= zoneRuns.length * 2 + 2 && runs.every((run) => settled(run.status)), 60_000);
    expect((await senderRuns()).every((run) => run.status === "completed")).toBe(true);
    expect(await database.db.select({ id: messages.id }).from(messages).where(eq(messages.workspaceId, workspaceId))).toHaveLength(5);
    expect((await listDateSends(database.db, { automationId })).map((send) => send.year)).toEqual([2027, 2027, 2027, 2027, 2027]);

    // The next day, nobody's date: the preview of 28 February 2027 is empty now that all were sent.
    const after = await callRoute(routes.preview.GET, { path: `/api/v1/date-automations/${automationId}/preview?day=2027-02-28`, apiKey, params: { id: automationId } });
    expect(after.body).toEqual({ day: "2027-02-28", count: 0, sample: [] });
    vi.useRealTimers();
  });
});
