import { randomUUID } from "node:crypto";
import { createProviders } from "@/lib/providers/create-providers";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/v1/campaigns/[id]/failures/route";
import type { Database } from "@/db";
import { campaignFailuresResponse } from "@/lib/campaigns/campaign-failures-request";
import { campaignSettings } from "@/lib/campaigns/campaign-settings";
import { deliverChunk } from "@/lib/campaigns/deliver-chunk";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { OUTBOX_ACCOUNT, plannedCampaign } from "@/test/support/planned-campaign";

const settings = { ...campaignSettings({}), emailRequestsPerSecond: 1_000 };
let database: Database;
let apiKey: string;
let otherKey: string;
let workspaceId: string;
let campaignId: string;

beforeAll(async () => {
  vi.stubEnv("TRACKING_SECRET", "failures-secret-failures-secret-failures");
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Acme" }));
  ({ apiKey: otherKey } = await createWorkspace(database.db, { name: "Other" }));
  // Five recipients; the template needs an attribute three of them lack.
  const campaign = await plannedCampaign(database.db, settings, { workspaceId, size: 5, prefix: "f", template: { subject: "News", body: "<p>{{ contact.attributes.plan }}</p>" } });
  campaignId = campaign.id;
  await database.db.execute(sql`update contacts set attributes = '{"plan":"pro"}' where email in ('f2@example.com', 'f4@example.com')`);
  const providers = createProviders(database.db, {});
  await deliverChunk(database.db, providers, settings, { workspaceId, campaignId, chunk: 0, providerAccount: OUTBOX_ACCOUNT, baseUrl: "https://sendline.example" });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await database.close();
});

const failures = (query = "", key = apiKey, id = campaignId) => callRoute(GET, { path: `/api/v1/campaigns/${id}/failures${query}`, apiKey: key, params: { id } });

describe("GET /api/v1/campaigns/:id/failures", () => {
  it("lists each failed recipient with its error, in pages", async () => {
    const first = await failures("?limit=2");
    expect(first.status).toBe(200);
    expect(campaignFailuresResponse.parse(first.body)).toEqual(first.body);
    const second = await failures(`?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.nextCursor).toBeNull();
    const rows = [...first.body.data, ...second.body.data];
    expect(rows.map((row: { recipient: string }) => row.recipient).sort()).toEqual(["f1@example.com", "f3@example.com", "f5@example.com"]);
    for (const row of rows) {
      expect(row).toMatchObject({ error: "template variable `contact.attributes.plan` is undefined in the body, line 1", messageId: expect.any(String), failedAt: expect.any(String) });
    }
  });

  it("answers 404 for another workspace's campaign or an unknown id, and 400 for a bad cursor", async () => {
    expect((await failures("", otherKey)).status).toBe(404);
    expect((await failures("", apiKey, randomUUID())).status).toBe(404);
    expect((await failures("", apiKey, "nope")).status).toBe(404);
    expect((await failures("?cursor=abc")).body.error.fields).toHaveProperty("cursor");
  });
});
