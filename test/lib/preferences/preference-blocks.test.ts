import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { setContactChoices } from "@/db/queries/contact-preferences";
import { upsertContactByEmail } from "@/db/queries/contacts";
import { insertCategory, type NotificationCategory } from "@/db/queries/notification-categories";
import { preferenceBlocks } from "@/lib/preferences/preference-blocks";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;
let billing: NotificationCategory;
const ids: Record<string, string> = {};

const fields = { description: null, urgent: false };

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Acme" }));
  billing = (await insertCategory(database.db, { workspaceId, key: "billing", name: "Billing", required: false, channelDefaults: {}, ...fields })) as NotificationCategory;
  await insertCategory(database.db, { workspaceId, key: "security", name: "Security", required: true, channelDefaults: {}, ...fields });
  await insertCategory(database.db, { workspaceId, key: "promos", name: "Promos", required: false, channelDefaults: { email: false }, ...fields });
  for (const name of ["optedOut", "allOff", "plain"]) {
    const result = await upsertContactByEmail(database.db, { workspaceId, changes: { email: `${name.toLowerCase()}@example.com` } });
    if (!result.ok) throw new Error("conflict");
    ids[name] = result.contact.id;
  }
  await setContactChoices(database.db, { workspaceId, contactId: ids.optedOut!, source: "api", cells: [{ channel: "email", categoryId: billing.id, enabled: false }] });
  await setContactChoices(database.db, { workspaceId, contactId: ids.allOff!, source: "api", cells: [{ channel: "email", categoryId: null, enabled: false }] });
});
afterAll(() => database.close());

const blocks = (category: string | null, channel: "email" | "sms" = "email") =>
  preferenceBlocks(database.db, { workspaceId, channel, category, contactIds: [ids.optedOut!, ids.allOff!, ids.plain!] }).then((m) =>
    Object.fromEntries([...m].map(([id, reason]) => [Object.keys(ids).find((k) => ids[k] === id), reason])),
  );

describe("preferenceBlocks: the send-time check every path calls", () => {
  it("blocks exactly the category a contact opted out of, on that channel", async () => {
    expect(await blocks("billing")).toEqual({ optedOut: "The contact opted out of billing on Email", allOff: "The contact opted out of Email" });
    expect(await blocks("billing", "sms")).toEqual({});
  });

  it("lets a required category through for everyone", async () => {
    expect(await blocks("security")).toEqual({});
  });

  it("applies only channel-wide choices to uncategorised messages, and to a key the workspace no longer has", async () => {
    expect(await blocks(null)).toEqual({ allOff: "The contact opted out of Email" });
    expect(await blocks("deleted-long-ago")).toEqual({ allOff: "The contact opted out of Email" });
  });

  it("holds back an opt-in category from contacts who never opted in", async () => {
    const reason = "promos is off on Email unless the contact opts in";
    expect(await blocks("promos")).toEqual({ optedOut: reason, allOff: "The contact opted out of Email", plain: reason });
  });
});
