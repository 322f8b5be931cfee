import { and, eq } from "drizzle-orm";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { campaignActionsFor, refusalMessage, runCampaignAction } from "@/app/(dashboard)/_lib/campaign-action";
import { CAMPAIGN_BUTTONS } from "@/app/(dashboard)/_lib/campaign-action-state";
import { CampaignActionButtons } from "@/app/(dashboard)/campaigns/[id]/campaign-action-buttons";
import type { Database } from "@/db";
import { type CampaignStatus, getCampaign, insertCampaign } from "@/db/queries/campaigns";
import { auditLog, campaignStatus } from "@/db/schema";
import { campaignEvent } from "@/inngest/campaign-event";
import type { CampaignEvent } from "@/lib/campaigns/campaign-event";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let mine: string;
let theirs: string;
let audience: { listId: string; templateId: string };
let batches: CampaignEvent[][] = [];
const send = async (events: CampaignEvent[]) => {
  batches.push(events);
  return null;
};

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: mine } } = await createWorkspace(database.db, { name: "Mine" }));
  ({ workspace: { id: theirs } } = await createWorkspace(database.db, { name: "Theirs" }));
  audience = await seedCampaignAudience(database.db, { workspaceId: mine, size: 2, prefix: "a" });
});
afterAll(async () => {
  await database.close();
});
beforeEach(() => {
  batches = [];
});

const campaignIn = (status: CampaignStatus, workspaceId = mine) =>
  insertCampaign(database.db, { workspaceId, name: `A ${status} one`, channel: "email", templateId: audience.templateId, audience: { listId: audience.listId }, status });
const statusOf = async (campaignId: string, workspaceId = mine) => (await getCampaign(database.db, { workspaceId, campaignId }))?.status;
const auditOf = (campaignId: string) => database.db.select().from(auditLog).where(and(eq(auditLog.targetType, "campaign"), eq(auditLog.targetId, campaignId)));

describe("campaignActionsFor", () => {
  const BUTTONS_BY_STATUS = [
    ["draft", ["send", "cancel"]],
    ["scheduled", ["send", "cancel"]],
    ["sending", ["pause", "cancel"]],
    ["paused", ["resume", "cancel"]],
    ["sent", []],
    ["cancelled", []],
    ["failed", []],
  ] as const;

  it.each(BUTTONS_BY_STATUS)("%s → %j", (status, expected) => {
    expect(campaignActionsFor(status)).toEqual(expected);
  });

  it("covers every status", () => {
    expect(BUTTONS_BY_STATUS.map(([status]) => status)).toEqual(campaignStatus.enumValues);
  });
});

describe("CampaignActionButtons", () => {
  const buttons = (html: string) =>
    [...html.matchAll(/<button([^>]*)>([^<]+)<\/button>/g)].map(([, attributes, label]) => [/ value="(\w+)"/.exec(attributes!)?.[1], label]);

  it.each(campaignStatus.enumValues)("draws exactly the buttons valid for a %s campaign", (status) => {
    const html = renderToStaticMarkup(
      createElement(CampaignActionButtons, { workspaceId: mine, campaignId: "c", status, actions: campaignActionsFor(status) }),
    );
    expect(buttons(html)).toEqual(campaignActionsFor(status).map((action) => [action, CAMPAIGN_BUTTONS[action].label]));
    if (!campaignActionsFor(status).length) expect(html).toContain(`No actions apply to a ${status} campaign.`);
    expect(html).toContain(`<input type="hidden" name="workspace" value="${mine}"/>`);
  });
});

describe("runCampaignAction", () => {
  it.each([
    ["send", "draft", "sending", ["campaign/unscheduled", "campaign/send.requested"]],
    ["send", "scheduled", "sending", ["campaign/unscheduled", "campaign/send.requested"]],
    ["pause", "sending", "paused", []],
    ["resume", "paused", "sending", ["campaign/send.requested"]],
    ["cancel", "draft", "cancelled", ["campaign/unscheduled"]],
    ["cancel", "sending", "cancelled", ["campaign/unscheduled"]],
  ] as const)("%s moves a %s campaign to %s, audits it as the dashboard and queues its events", async (action, from, to, eventNames) => {
    const campaign = await campaignIn(from);
    const state = await runCampaignAction(database.db, { workspaceId: mine, campaignId: campaign.id, action, send });
    expect(state).toEqual({ ok: true, message: CAMPAIGN_BUTTONS[action].done });
    expect(await statusOf(campaign.id)).toBe(to);
    expect(batches.map((events) => events.map((event) => campaignEvent(event).name))).toEqual([eventNames]);
    expect(await auditOf(campaign.id)).toEqual([expect.objectContaining({ workspaceId: mine, actor: "dashboard", action: `campaign.${action}` })]);
  });

  it.each([
    ["pause", "sent", '"Pause" was refused: the campaign is sent now, and that applies only to sending campaigns.'],
    ["resume", "sending", '"Resume" was refused: the campaign is sending now, and that applies only to paused campaigns.'],
    ["send", "cancelled", '"Send now" was refused: the campaign is cancelled now, and that applies only to draft or scheduled campaigns.'],
    ["cancel", "failed", '"Cancel campaign" was refused: the campaign is failed now, and that applies only to draft, scheduled, sending or paused campaigns.'],
  ] as const)("reports %s on a %s campaign as refused, changing nothing", async (action, status, message) => {
    const campaign = await campaignIn(status);
    const state = await runCampaignAction(database.db, { workspaceId: mine, campaignId: campaign.id, action, send });
    expect(state).toEqual({ ok: false, message });
    expect(await statusOf(campaign.id)).toBe(status);
    expect(batches).toEqual([]);
    expect(await auditOf(campaign.id)).toEqual([]);
  });

  it("names the state the campaign is in now when it moved after the page was drawn", async () => {
    const campaign = await campaignIn("sending");
    // The page drew "Pause"; meanwhile the send finished.
    await runCampaignAction(database.db, { workspaceId: mine, campaignId: campaign.id, action: "pause", send });
    const second = await runCampaignAction(database.db, { workspaceId: mine, campaignId: campaign.id, action: "pause", send });
    expect(second).toEqual({ ok: false, message: refusalMessage("pause", "paused") });
    expect(await auditOf(campaign.id)).toHaveLength(1);
  });

  it.each([
    ["another workspace's campaign", async () => (await campaignIn("draft", theirs)).id, "send", /no longer exists in this workspace/],
    ["a malformed id", async () => "1 or 1=1", "send", /no longer exists in this workspace/],
    ["an unknown campaign", async () => "00000000-0000-4000-8000-000000000000", "cancel", /no longer exists in this workspace/],
    ["an action the dashboard does not offer", async () => (await campaignIn("draft")).id, "schedule", /Unknown action/],
  ])("refuses %s", async (_name, idOf, action, message) => {
    const campaignId = await idOf();
    const state = await runCampaignAction(database.db, { workspaceId: mine, campaignId, action, send });
    expect(state).toEqual({ ok: false, message: expect.stringMatching(message) });
    expect(batches).toEqual([]);
  });

  it("leaves another workspace's campaign as it was", async () => {
    const campaign = await campaignIn("sending", theirs);
    await runCampaignAction(database.db, { workspaceId: mine, campaignId: campaign.id, action: "cancel", send });
    expect(await statusOf(campaign.id, theirs)).toBe("sending");
  });

  it("shows the preflight's refusal when \"Send now\" meets a template that cannot render, sending nothing", async () => {
    const broken = await seedCampaignAudience(database.db, { workspaceId: mine, size: 1, prefix: "broken", template: { subject: "News", body: "<p>Hi {{ first_name }}</p>" } });
    const campaign = await insertCampaign(database.db, { workspaceId: mine, name: "Broken", channel: "email", templateId: broken.templateId, audience: { listId: broken.listId } });
    const state = await runCampaignAction(database.db, { workspaceId: mine, campaignId: campaign.id, action: "send", send });
    expect(state).toEqual({
      ok: false,
      message:
        '"Send now" was refused, nothing was sent. The campaign cannot be sent: template variable `first_name` is undefined in the body, line 1 — did you mean `contact.first_name`?',
    });
    expect(await statusOf(campaign.id)).toBe("draft");
    expect(batches).toEqual([]);
    expect(await auditOf(campaign.id)).toEqual([]);
  });

  it("says so when the change is recorded but its events cannot be queued", async () => {
    const campaign = await campaignIn("draft");
    const failing = async () => new Response(null, { status: 503 });
    const state = await runCampaignAction(database.db, { workspaceId: mine, campaignId: campaign.id, action: "send", send: failing });
    expect(state.ok).toBe(false);
    expect(state.message).toMatch(/^Sending started\. But its work could not be queued: check the Inngest server\. The campaign stays sending/);
    expect(await statusOf(campaign.id)).toBe("sending");
    expect(await auditOf(campaign.id)).toHaveLength(1);
  });
});
