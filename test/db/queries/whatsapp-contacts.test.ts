import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { deleteContact } from "@/db/queries/contacts";
import {
  findWhatsAppContact,
  recordWhatsAppInbound,
  recordWhatsAppOptIn,
  withdrawWhatsAppOptIn,
  withdrawWhatsAppOptInByPhone,
} from "@/db/queries/whatsapp-contacts";
import { contacts } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let mine: string;
let theirs: string;
let phoneSeq = 1000;

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 1, 12, minutes));
async function contact(workspaceId: string, phone = `+1415555${phoneSeq++}`): Promise<{ id: string; phone: string }> {
  const [row] = await database.db.insert(contacts).values({ workspaceId, phone }).returning({ id: contacts.id });
  return { id: row!.id, phone };
}

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: mine } } = await createWorkspace(database.db, { name: "Mine" }));
  ({ workspace: { id: theirs } } = await createWorkspace(database.db, { name: "Theirs" }));
});
afterAll(() => database.close());

describe("WhatsApp opt-in", () => {
  it("keeps the first opt-in's time and source when it is recorded again", async () => {
    const { id } = await contact(mine);
    await recordWhatsAppOptIn(database.db, { workspaceId: mine, contactId: id, source: "checkout form", at: at(1) });
    const again = await recordWhatsAppOptIn(database.db, { workspaceId: mine, contactId: id, source: "support chat", at: at(2) });
    expect(again).toMatchObject({ optedInAt: at(1), optInSource: "checkout form", optedOutAt: null });
  });

  it("records a withdrawal, and a new opt-in after it with its own time and source", async () => {
    const { id } = await contact(mine);
    await recordWhatsAppOptIn(database.db, { workspaceId: mine, contactId: id, source: "form", at: at(1) });
    expect(await withdrawWhatsAppOptIn(database.db, { workspaceId: mine, contactId: id, source: "api", at: at(2) })).toMatchObject({
      optedInAt: null,
      optInSource: null,
      optedOutAt: at(2),
      optOutSource: "api",
    });
    // A second withdrawal keeps the first one's record.
    expect(await withdrawWhatsAppOptIn(database.db, { workspaceId: mine, contactId: id, source: "again", at: at(3) })).toMatchObject({ optedOutAt: at(2), optOutSource: "api" });
    expect(await recordWhatsAppOptIn(database.db, { workspaceId: mine, contactId: id, source: "kiosk", at: at(4) })).toMatchObject({
      optedInAt: at(4),
      optInSource: "kiosk",
      optedOutAt: null,
      optOutSource: null,
    });
  });

  it("finds a contact's standing by id or by phone, only in its own workspace", async () => {
    const { id, phone } = await contact(mine);
    await recordWhatsAppOptIn(database.db, { workspaceId: mine, contactId: id, source: "form", at: at(1) });
    expect(await findWhatsAppContact(database.db, { workspaceId: mine, contactId: id })).toMatchObject({ contactId: id, phone });
    expect(await findWhatsAppContact(database.db, { workspaceId: mine, phone })).toMatchObject({ contactId: id });
    expect(await findWhatsAppContact(database.db, { workspaceId: theirs, contactId: id })).toBeUndefined();
    expect(await findWhatsAppContact(database.db, { workspaceId: theirs, phone })).toBeUndefined();
  });

  it("goes with the contact when the contact is deleted", async () => {
    const { id } = await contact(mine);
    await recordWhatsAppOptIn(database.db, { workspaceId: mine, contactId: id, source: "form", at: at(1) });
    await deleteContact(database.db, { workspaceId: mine, contactId: id });
    expect(await findWhatsAppContact(database.db, { workspaceId: mine, contactId: id })).toBeUndefined();
  });
});

describe("recordWhatsAppInbound", () => {
  it("opens the window for the number's contact in every workspace, and never moves it back", async () => {
    const phone = `+1415555${phoneSeq++}`;
    const [a, b] = [await contact(mine, phone), await contact(theirs, phone)];
    const senders = await recordWhatsAppInbound(database.db, { phone, at: at(10) });
    expect(senders.map((sender) => sender.contactId).sort()).toEqual([a.id, b.id].sort());
    await recordWhatsAppInbound(database.db, { phone, at: at(5) });
    expect(await findWhatsAppContact(database.db, { workspaceId: mine, contactId: a.id })).toMatchObject({ lastInboundAt: at(10), optedInAt: null });
    expect(await findWhatsAppContact(database.db, { workspaceId: theirs, contactId: b.id })).toMatchObject({ lastInboundAt: at(10) });
  });

  it("records nothing for a number no contact has", async () => {
    expect(await recordWhatsAppInbound(database.db, { phone: "+14155559999", at: at(1) })).toEqual([]);
  });
});

describe("withdrawWhatsAppOptInByPhone", () => {
  it("withdraws the opt-in of the number's contacts everywhere, reporting only those that were opted in", async () => {
    const phone = `+1415555${phoneSeq++}`;
    const [a, b] = [await contact(mine, phone), await contact(theirs, phone)];
    await recordWhatsAppOptIn(database.db, { workspaceId: mine, contactId: a.id, source: "form", at: at(1) });
    await recordWhatsAppInbound(database.db, { phone, at: at(2) });
    const withdrawn = await withdrawWhatsAppOptInByPhone(database.db, { phone, source: "whatsapp_keyword", at: at(3) });
    expect(withdrawn).toEqual([{ workspaceId: mine, contactId: a.id }]);
    expect(await findWhatsAppContact(database.db, { workspaceId: mine, contactId: a.id })).toMatchObject({ optedInAt: null, optedOutAt: at(3), optOutSource: "whatsapp_keyword", lastInboundAt: at(2) });
    expect(await findWhatsAppContact(database.db, { workspaceId: theirs, contactId: b.id })).toMatchObject({ optedInAt: null, optedOutAt: null });
  });
});
