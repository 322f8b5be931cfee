import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { getDateAutomation, insertDateAutomation, listDateSends } from "@/db/queries/date-automations";
import { deleteCategory } from "@/db/queries/notification-categories";
import { insertTemplate } from "@/db/queries/templates";
import { contacts, messages, notificationCategories } from "@/db/schema";
import { eq, sql } from "drizzle-orm";
import { sendDatePage } from "@/lib/automations/date-automations";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;
let templateId: string;
let withEmail: string;
let withoutEmail: string;
const now = new Date();

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Claims" }));
  templateId = (await insertTemplate(database.db, { workspaceId, channel: "email", name: "Birthday", subject: "Happy birthday", body: "<p>Hi</p>" }))!.id;
  await database.db.insert(notificationCategories).values({ workspaceId, key: "greetings", name: "Greetings" });
  const rows = await database.db
    .insert(contacts)
    .values([
      { workspaceId, email: "one@example.com", birthdayMonth: 5, birthdayDay: 4 },
      { workspaceId, phone: "+14155550123", birthdayMonth: 5, birthdayDay: 4 },
    ])
    .returning();
  [withEmail, withoutEmail] = rows.map((row) => row.id) as [string, string];
});
afterAll(() => database.close());

const automationWith = (category: string | null) =>
  insertDateAutomation(database.db, { workspaceId, now, name: "Birthdays", dateField: "birthday", sendHour: 9, sendMinute: 0, channel: "email", templateId, category, fromAddress: null });
const messagesOfWorkspace = () => database.db.select().from(messages).where(eq(messages.workspaceId, workspaceId));

describe("sendDatePage: the once-a-year claim", () => {
  it("queues one message per contact and year, skips a contact without an address with the reason, and does nothing the second time", async () => {
    const automation = await automationWith("greetings");
    const first = await sendDatePage(database.db, { automation, contactIds: [withEmail, withoutEmail], year: 2027, now });
    expect(first.paused).toBeNull();
    expect(first.queued.map((q) => q.message.contactId)).toEqual([withEmail]);
    expect(first.queued[0]!.path).toBe("batched");
    expect(first.skipped).toEqual([{ contactId: withoutEmail, reason: "the contact has no email" }]);

    const again = await sendDatePage(database.db, { automation, contactIds: [withEmail, withoutEmail], year: 2027, now });
    expect(again).toEqual({ queued: [], skipped: [], paused: null, stopped: false });
    expect(await messagesOfWorkspace()).toHaveLength(1);

    const sends = await listDateSends(database.db, { automationId: automation.id });
    expect(sends.map((send) => ({ contactId: send.contactId, year: send.year, sent: send.messageId !== null, skippedReason: send.skippedReason }))).toEqual(
      expect.arrayContaining([
        { contactId: withEmail, year: 2027, sent: true, skippedReason: null },
        { contactId: withoutEmail, year: 2027, sent: false, skippedReason: "the contact has no email" },
      ]),
    );

    // The next year is a new claim.
    const nextYear = await sendDatePage(database.db, { automation, contactIds: [withEmail], year: 2028, now });
    expect(nextYear.queued).toHaveLength(1);
  });

  it("finishes a claim an earlier attempt left open, with the same message", async () => {
    const automation = await automationWith(null);
    const first = await sendDatePage(database.db, { automation, contactIds: [withEmail], year: 2027, now });
    // As if the attempt had stopped after its claim: the message id is not recorded yet.
    await database.db.execute(sql`update date_automation_sends set message_id = null where automation_id = ${automation.id}::uuid`);
    const retried = await sendDatePage(database.db, { automation, contactIds: [withEmail], year: 2027, now });
    expect(retried.queued.map((q) => q.message.id)).toEqual(first.queued.map((q) => q.message.id));
  });

  it("pauses the automation with the reason when its category went away, and releases the page's claims", async () => {
    await database.db.insert(notificationCategories).values({ workspaceId, key: "promos", name: "Promos" });
    const automation = await automationWith("promos");
    await deleteCategory(database.db, { workspaceId, key: "promos" });
    const outcome = await sendDatePage(database.db, { automation, contactIds: [withEmail, withoutEmail], year: 2027, now });
    expect(outcome.queued).toEqual([]);
    expect(outcome.paused).toMatch(/^category: /);
    expect(await getDateAutomation(database.db, { workspaceId, automationId: automation.id })).toMatchObject({ status: "paused", statusReason: outcome.paused });
    expect(await listDateSends(database.db, { automationId: automation.id })).toEqual([]);
    // Paused: a later page sends nothing and claims nothing.
    expect(await sendDatePage(database.db, { automation, contactIds: [withEmail], year: 2027, now })).toEqual({ queued: [], skipped: [], paused: null, stopped: true });
    expect(await listDateSends(database.db, { automationId: automation.id })).toEqual([]);
  });
});
