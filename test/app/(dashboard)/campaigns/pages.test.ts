import { renderToStaticMarkup } from "react-dom/server";
import { createProviders } from "@/lib/providers/create-providers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { type Campaign, insertCampaign } from "@/db/queries/campaigns";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { campaignSettings } from "@/lib/campaigns/campaign-settings";
import { endCampaignIfDone } from "@/lib/campaigns/end-campaign-if-done";
import { deliverChunk } from "@/lib/campaigns/deliver-chunk";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";
import { OUTBOX_ACCOUNT, plannedCampaign } from "@/test/support/planned-campaign";

// Outside a request: no cookie jar (the page falls back to the oldest workspace) and no
// mounted app router for the live-refresh component.
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));
vi.mock("next/navigation", async (original) => ({ ...(await original<typeof import("next/navigation")>()), useRouter: () => ({ refresh: () => {} }) }));

let database: Database;
let workspaceId: string;
let sending: Campaign;
let draft: Campaign;
let failed: Campaign;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Pages" }));
  const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 1, prefix: "p" });
  const base = { workspaceId, channel: "email" as const, templateId, audience: { listId } };
  draft = await insertCampaign(database.db, { ...base, name: "Held back", statusReason: "Not enough credits: the audience is 1 recipients and the balance is 0.", createdAt: new Date(Date.UTC(2025, 0, 1)) });
  sending = await insertCampaign(database.db, { ...base, name: "Going out", status: "sending", startedAt: new Date(Date.UTC(2025, 0, 2)) });
  // Every message of this one fails: its template reads a variable campaigns do not have.
  const settings = { ...campaignSettings({}), emailRequestsPerSecond: 1_000 };
  failed = await plannedCampaign(database.db, settings, { workspaceId, size: 2, prefix: "broken", template: { subject: "News", body: "<p>Hi {{ first_name }}</p>" } });
  const providers = createProviders(database.db, {});
  await deliverChunk(database.db, providers, settings, { workspaceId, campaignId: failed.id, chunk: 0, providerAccount: OUTBOX_ACCOUNT, baseUrl: "https://sendline.example" });
  await endCampaignIfDone(database.db, { workspaceId, campaignId: failed.id });
});
afterAll(async () => {
  await database.close();
});

const props = (id?: string) => ({ params: Promise.resolve({ id: id ?? "" }), searchParams: Promise.resolve({}) });

describe("campaign pages", () => {
  it("/campaigns renders the workspace's campaigns and refreshes while one is live", async () => {
    const { default: CampaignsPage } = await import("@/app/(dashboard)/campaigns/page");
    const html = renderToStaticMarkup(await CampaignsPage(props()));
    expect(html.indexOf("Going out")).toBeLessThan(html.indexOf("Held back"));
    expect(html).toContain("Not enough credits: the audience is 1 recipients and the balance is 0.");
    expect(html).toContain('<span class="live"');
  });

  it("/campaigns/[id] renders a sending campaign live, with its buttons", async () => {
    const { default: CampaignPage } = await import("@/app/(dashboard)/campaigns/[id]/page");
    const html = renderToStaticMarkup(await CampaignPage(props(sending.id)));
    expect(html).toContain("<h1>Going out</h1>");
    expect(html).toContain('<span class="live"');
    expect(html).toContain('role="progressbar" aria-label="Campaign progress: preparing the audience"');
    expect(html).toContain("Chunks done: 0 / 0");
    expect(html).toMatch(/value="pause"[^>]*>Pause</);
    expect(html).not.toContain(">Send now<");
  });

  it("/campaigns/[id] shows a draft's reason and stops refreshing", async () => {
    const { default: CampaignPage } = await import("@/app/(dashboard)/campaigns/[id]/page");
    const html = renderToStaticMarkup(await CampaignPage(props(draft.id)));
    expect(html).toContain('<div class="alert" role="alert"><strong>Reason:</strong> Not enough credits');
    expect(html).not.toContain('<span class="live"');
    expect(html).toMatch(/value="send"[^>]*>Send now</);
  });

  it("/campaigns/[id] shows a campaign whose messages all failed in red, with the reason and a failures table", async () => {
    const { default: CampaignPage } = await import("@/app/(dashboard)/campaigns/[id]/page");
    const html = renderToStaticMarkup(await CampaignPage(props(failed.id)));
    expect(html).toContain('<span class="badge badge-failed">failed</span>');
    expect(html).toContain(
      '<div class="alert" role="alert"><strong>Campaign failed:</strong> All 2 messages failed: template variable `first_name` is undefined in the body, line 1 (2)</div>',
    );
    expect(html).toContain('class="progress progress-failed');
    expect(html).toContain('<h2 id="failures-heading">Failures (2)</h2>');
    for (const to of ["broken1@example.com", "broken2@example.com"]) {
      expect(html).toContain(`<td class="mono">${to}</td><td class="error-text">template variable \`first_name\` is undefined in the body, line 1</td>`);
    }
  });

  it("/campaigns/[id] is not found for a malformed or unknown id", async () => {
    const { default: CampaignPage } = await import("@/app/(dashboard)/campaigns/[id]/page");
    await expect(CampaignPage(props("nope"))).rejects.toThrow(/NEXT_HTTP_ERROR_FALLBACK;404|NEXT_NOT_FOUND/);
    await expect(CampaignPage(props("00000000-0000-4000-8000-000000000000"))).rejects.toThrow(/NEXT_HTTP_ERROR_FALLBACK;404|NEXT_NOT_FOUND/);
  });
});
