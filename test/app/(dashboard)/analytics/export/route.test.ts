import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/(dashboard)/analytics/export/route";
import { WORKSPACE_COOKIE } from "@/app/_lib/workspace-cookie";
import type { Database } from "@/db";
import { insertCampaign } from "@/db/queries/campaigns";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";
import { engagementFact as fact, seedEngagement, seedMessage } from "@/test/support/engagement-seed";

let database: Database;
let workspaceId: string;
let otherWorkspaceId: string;
let campaignId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  const db = database.db;
  ({ workspace: { id: workspaceId } } = await createWorkspace(db, { name: "Mine" }));
  ({ workspace: { id: otherWorkspaceId } } = await createWorkspace(db, { name: "Theirs" }));
  const { listId, templateId } = await seedCampaignAudience(db, { workspaceId, size: 0, prefix: "x" });
  campaignId = (await insertCampaign(db, { workspaceId, name: "Export", channel: "email", templateId, audience: { listId }, status: "sent" }))!.id;
  const message = await seedMessage(db, { workspaceId, campaignId, email: "ada@gmail.com" });
  await seedEngagement(db, [fact(message.id, "sent", "2026-12-01T09:00:00Z"), fact(message.id, "clicked", "2026-12-01T09:30:00Z", { url: "@SUM(A1)" })]);
});
afterAll(async () => database?.close());

const get = (query: string, workspace: string) => GET(new Request(`http://localhost/analytics/export${query}`, { headers: { cookie: `${WORKSPACE_COOKIE}=${workspace}` } }));

describe("GET /analytics/export (dashboard)", () => {
  it("downloads a campaign's table as formula-safe CSV with a BOM", async () => {
    const response = await get(`?campaign=${campaignId}&table=links`, workspaceId);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="campaign-${campaignId}-links.csv"`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3))).toBe("url,clicked,unique_clicked,machine_clicked,last_clicked_at\r\n'@SUM(A1),1,1,0,2026-12-01T09:30:00.000Z\r\n");
  });

  it("downloads the workspace's series for the page's range", async () => {
    const text = await (await get("?table=series&from=2026-12-01&to=2026-12-02&tz=UTC", workspaceId)).text();
    expect(text.split("\r\n").slice(1, 3).map((line) => line.split(",").slice(0, 2).join(","))).toEqual(["2026-12-01T00:00:00.000Z,1", "2026-12-02T00:00:00.000Z,0"]);
  });

  it("answers 404 for another workspace's campaign and 400 naming a bad filter", async () => {
    expect((await get(`?campaign=${campaignId}&table=links`, otherWorkspaceId)).status).toBe(404);
    const bad = await get("?table=series&tz=Nowhere/Else", workspaceId);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("tz:");
  });
});
