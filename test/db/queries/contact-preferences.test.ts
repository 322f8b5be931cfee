import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { channelChoices, listContactChoices, setContactChoices } from "@/db/queries/contact-preferences";
import { upsertContactByEmail } from "@/db/queries/contacts";
import { deleteCategory, getCategory, insertCategory, listCategories, updateCategory, type NotificationCategory } from "@/db/queries/notification-categories";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;
let otherWorkspaceId: string;
let billing: NotificationCategory;
let news: NotificationCategory;

async function contact(wsId: string, email: string): Promise<string> {
  const result = await upsertContactByEmail(database.db, { workspaceId: wsId, changes: { email } });
  if (!result.ok) throw new Error("conflict");
  return result.contact.id;
}

const fields = { description: null, required: false, urgent: false, channelDefaults: {} };

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Acme" }));
  ({ workspace: { id: otherWorkspaceId } } = await createWorkspace(database.db, { name: "Other" }));
  billing = (await insertCategory(database.db, { workspaceId, key: "billing", name: "Billing", ...fields })) as NotificationCategory;
  news = (await insertCategory(database.db, { workspaceId, key: "news", name: "News", ...fields, channelDefaults: { sms: false } })) as NotificationCategory;
});
afterAll(() => database.close());

describe("notification categories", () => {
  it("refuses a duplicate key in a workspace, not across workspaces", async () => {
    expect(await insertCategory(database.db, { workspaceId, key: "billing", name: "Again", ...fields })).toBe("conflict");
    const other = await insertCategory(database.db, { workspaceId: otherWorkspaceId, key: "billing", name: "Theirs", ...fields });
    expect(other).toMatchObject({ key: "billing", workspaceId: otherWorkspaceId });
    expect((await listCategories(database.db, { workspaceId })).map((c) => c.key)).toEqual(["billing", "news"]);
  });

  it("updates only the given fields, within the workspace", async () => {
    const updated = await updateCategory(database.db, { workspaceId, key: "news", changes: { urgent: true } });
    expect(updated).toMatchObject({ key: "news", name: "News", urgent: true, channelDefaults: { sms: false } });
    expect(await updateCategory(database.db, { workspaceId: otherWorkspaceId, key: "news", changes: { urgent: true } })).toBeUndefined();
  });
});

describe("contact preferences", () => {
  it("writes cells, the last for a place winning, and reads them back with who and when", async () => {
    const ann = await contact(workspaceId, "ann@example.com");
    await setContactChoices(database.db, {
      workspaceId,
      contactId: ann,
      source: "api",
      cells: [
        { channel: "email", categoryId: billing.id, enabled: true },
        { channel: "email", categoryId: billing.id, enabled: false },
        { channel: "sms", categoryId: null, enabled: false },
      ],
    });
    await setContactChoices(database.db, { workspaceId, contactId: ann, source: "preference_center", cells: [{ channel: "sms", categoryId: null, enabled: true }] });
    const choices = await listContactChoices(database.db, { workspaceId, contactId: ann });
    expect(choices.map(({ channel, categoryKey, enabled, source }) => ({ channel, categoryKey, enabled, source })).sort((a, b) => a.channel.localeCompare(b.channel))).toEqual([
      { channel: "email", categoryKey: "billing", enabled: false, source: "api" },
      { channel: "sms", categoryKey: null, enabled: true, source: "preference_center" },
    ]);
    expect(choices[0]!.updatedAt).toBeInstanceOf(Date);
  });

  it("a channel-wide choice clears the channel's category choices, and keeps those written with it", async () => {
    const bob = await contact(workspaceId, "bob@example.com");
    await setContactChoices(database.db, {
      workspaceId,
      contactId: bob,
      source: "api",
      cells: [
        { channel: "email", categoryId: billing.id, enabled: true },
        { channel: "email", categoryId: news.id, enabled: true },
        { channel: "sms", categoryId: news.id, enabled: true },
      ],
    });
    await setContactChoices(database.db, {
      workspaceId,
      contactId: bob,
      source: "api",
      cells: [
        { channel: "email", categoryId: null, enabled: false },
        { channel: "email", categoryId: news.id, enabled: true },
      ],
    });
    const choices = (await listContactChoices(database.db, { workspaceId, contactId: bob })).map((c) => `${c.channel}:${c.categoryKey ?? "*"}:${c.enabled}`).sort();
    expect(choices).toEqual(["email:*:false", "email:news:true", "sms:news:true"]);
  });

  it("answers the send-time question for many contacts in one statement, per channel and category", async () => {
    const [a, b, c] = await Promise.all(["a@x.com", "b@x.com", "c@x.com"].map((e) => contact(workspaceId, e)));
    await setContactChoices(database.db, { workspaceId, contactId: a!, source: "api", cells: [{ channel: "email", categoryId: billing.id, enabled: false }] });
    await setContactChoices(database.db, { workspaceId, contactId: b!, source: "api", cells: [{ channel: "email", categoryId: null, enabled: false }] });
    await setContactChoices(database.db, { workspaceId, contactId: c!, source: "api", cells: [{ channel: "sms", categoryId: billing.id, enabled: false }] });
    const forBilling = await channelChoices(database.db, { workspaceId, channel: "email", category: billing, contactIds: [a!, b!, c!] });
    expect(Object.fromEntries(forBilling)).toEqual({ [a!]: { category: false }, [b!]: { channelWide: false } });
    const forNews = await channelChoices(database.db, { workspaceId, channel: "email", category: news, contactIds: [a!, b!, c!] });
    expect(Object.fromEntries(forNews)).toEqual({ [b!]: { channelWide: false } });
    const uncategorised = await channelChoices(database.db, { workspaceId, channel: "email", category: null, contactIds: [a!, b!, c!] });
    expect(Object.fromEntries(uncategorised)).toEqual({ [b!]: { channelWide: false } });
    // Another workspace asking about these contacts learns nothing.
    expect((await channelChoices(database.db, { workspaceId: otherWorkspaceId, channel: "email", category: null, contactIds: [a!, b!, c!] })).size).toBe(0);
  });

  it("deleting a category deletes every contact's choices for it", async () => {
    const dee = await contact(workspaceId, "dee@example.com");
    const temp = (await insertCategory(database.db, { workspaceId, key: "temp", name: "Temp", ...fields })) as NotificationCategory;
    await setContactChoices(database.db, { workspaceId, contactId: dee, source: "api", cells: [{ channel: "email", categoryId: temp.id, enabled: false }] });
    expect(await deleteCategory(database.db, { workspaceId, key: "temp" })).toBe(true);
    expect(await getCategory(database.db, { workspaceId, key: "temp" })).toBeUndefined();
    expect(await listContactChoices(database.db, { workspaceId, contactId: dee })).toEqual([]);
    expect(await deleteCategory(database.db, { workspaceId, key: "temp" })).toBe(false);
  });
});
