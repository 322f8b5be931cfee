import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { InngestTestEngine } from "@inngest/test";
import { sql } from "drizzle-orm";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import type { Campaign } from "@/db/queries/campaigns";
import { runArchiveAction } from "@/app/(dashboard)/_lib/archive-action";
import { archiveCampaign } from "@/inngest/functions/lifecycle/archive-campaign";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { archivableCampaign } from "@/test/support/archivable-campaign";
import { useTestDatabase } from "@/test/support/database";

vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));
vi.mock("next/navigation", async (original) => ({ ...(await original<typeof import("next/navigation")>()), useRouter: () => ({ refresh: () => {} }) }));

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "archive-pages-"));
process.env.SENDLINE_DATA_DIR = dataDir;

let database: Database;
let workspaceId: string;
let archived: Campaign;
let sending: Campaign;
const sent: { kind: string; archiveId: string }[] = [];

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Archive pages" }));
  ({ campaign: archived } = await archivableCampaign(database.db, { workspaceId, prefix: "Spring sale", size: 3 }));
  ({ campaign: sending } = await archivableCampaign(database.db, { workspaceId, prefix: "Still going", size: 1 }));
  await database.db.execute(sql`update campaigns set status = 'sending' where id = ${sending.id}::uuid`);
  await database.db.execute(sql`update campaign_recipients set status = 'failed', reason = 'mailbox full' where campaign_id = ${archived.id}::uuid and contact_id = (select contact_id from campaign_recipients where campaign_id = ${archived.id}::uuid order by contact_id limit 1)`);
  const state = await runArchiveAction(database.db, {
    workspaceId,
    campaignId: archived.id,
    action: "archive",
    send: async (kind, event) => {
      sent.push({ kind, archiveId: event.archiveId });
      return true;
    },
  });
  expect(state).toEqual({ ok: true, message: expect.stringContaining("Archiving") });
  await new InngestTestEngine({ function: archiveCampaign }).execute({ events: [{ name: "lifecycle/archive.requested", data: { workspaceId, archiveId: sent[0]!.archiveId } } as never] });
});
afterAll(async () => {
  await database?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const props = (id = "") => ({ params: Promise.resolve({ id }), searchParams: Promise.resolve({}) });

describe("archive pages", () => {
  it("/campaigns/[id] of an archived campaign shows the archive, offers Restore, and says where the failures went", async () => {
    const { default: CampaignPage } = await import("@/app/(dashboard)/campaigns/[id]/page");
    const html = renderToStaticMarkup(await CampaignPage(props(archived.id)));
    expect(html).toContain('<span class="badge badge-archived">archived</span> Archived: its recipients, messages and events are in cold storage.');
    expect(html).toMatch(/\d+ rows in 5 files/);
    expect(html).toMatch(/value="restore"[^>]*>Restore</);
    expect(html).not.toMatch(/value="archive"[^>]*>Archive</);
    expect(html).toContain("data-archived-rows");
    expect(html).toContain("restore it to list them");
    expect(html).not.toContain("mailbox full");
  });

  it("/campaigns/[id] of a campaign that may still send offers no Archive, and says why", async () => {
    const { default: CampaignPage } = await import("@/app/(dashboard)/campaigns/[id]/page");
    const html = renderToStaticMarkup(await CampaignPage(props(sending.id)));
    expect(html).toContain("Not archived.");
    expect(html).not.toMatch(/value="archive"[^>]*>Archive</);
    expect(html).toContain("A sending campaign may still send");
  });

  it("/campaigns marks the archived campaign in the list", async () => {
    const { default: CampaignsPage } = await import("@/app/(dashboard)/campaigns/page");
    const html = renderToStaticMarkup(await CampaignsPage(props()));
    expect(html).toMatch(/badge badge-archived" title="Its recipients, messages and events are in cold storage">archived</);
  });

  it("/archives lists the archive with its campaign, size and who asked", async () => {
    const { default: ArchivesPage } = await import("@/app/(dashboard)/archives/page");
    const html = renderToStaticMarkup(await ArchivesPage({ searchParams: Promise.resolve({}) }));
    expect(html).toContain(`<a href="/campaigns/${archived.id}">Spring sale</a>`);
    expect(html).toContain("by dashboard");
    expect(html).toContain('<span class="badge badge-archived">archived</span>');
    expect(html).toMatch(/KiB/);
  });

  it("the dashboard's action refuses what the API refuses, in words", async () => {
    const send = async () => true;
    expect(await runArchiveAction(database.db, { workspaceId, campaignId: sending.id, action: "archive", send })).toEqual({ ok: false, message: expect.stringContaining("sending") });
    expect(await runArchiveAction(database.db, { workspaceId, campaignId: archived.id, action: "archive", send })).toEqual({ ok: false, message: expect.stringContaining("archived") });
    expect(await runArchiveAction(database.db, { workspaceId, campaignId: "nope", action: "archive", send })).toEqual({ ok: false, message: "Unknown campaign or action." });
    expect(await runArchiveAction(database.db, { workspaceId, campaignId: sending.id, action: "restore", send })).toEqual({ ok: false, message: "The campaign has no archive" });
  });
});
