import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listOutboxMessages } from "@/db/queries/outbox-messages";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";

/**
 * One channel's half-configuration stays that channel's problem. Only TWILIO_AUTH_TOKEN is set
 * (what the Twilio webhook needs): email campaigns send through the outbox as if Twilio did not
 * exist, and an SMS fails at once with the missing variables named instead of retrying.
 */
let app: Awaited<ReturnType<typeof startAppEngine>>;
let database: Database;
let apiKey: string;
let workspaceId: string;
let campaignsRoute: typeof import("@/app/api/v1/campaigns/route");
let campaignRoute: typeof import("@/app/api/v1/campaigns/[id]/route");
let actionRoute: typeof import("@/app/api/v1/campaigns/[id]/[action]/route");
let notificationsRoute: typeof import("@/app/api/v1/notifications/route");
let notificationRoute: typeof import("@/app/api/v1/notifications/[id]/route");
let templatesRoute: typeof import("@/app/api/v1/templates/route");

const TWILIO_VARIABLES = ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM", "SMS_PROVIDER", "RESEND_API_KEY", "EMAIL_PROVIDER"];
const saved = Object.fromEntries(TWILIO_VARIABLES.map((name) => [name, process.env[name]]));

beforeAll(async () => {
  for (const name of TWILIO_VARIABLES) delete process.env[name];
  process.env.TWILIO_AUTH_TOKEN = "webhook-only-token";
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Half-configured" }));
  app = await startAppEngine();
  campaignsRoute = await import("@/app/api/v1/campaigns/route");
  campaignRoute = await import("@/app/api/v1/campaigns/[id]/route");
  actionRoute = await import("@/app/api/v1/campaigns/[id]/[action]/route");
  notificationsRoute = await import("@/app/api/v1/notifications/route");
  notificationRoute = await import("@/app/api/v1/notifications/[id]/route");
  templatesRoute = await import("@/app/api/v1/templates/route");
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await database?.close();
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("with only TWILIO_AUTH_TOKEN set", () => {
  it("an email campaign's chunks send through the outbox", async () => {
    const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 3, prefix: "half" });
    const created = await callRoute(campaignsRoute.POST, {
      method: "POST",
      path: "/api/v1/campaigns",
      apiKey,
      body: { name: "Email only", channel: "email", templateId, audience: { listId } },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const sent = await callRoute(actionRoute.POST, { method: "POST", path: `/api/v1/campaigns/${id}/send`, apiKey, params: { id, action: "send" } });
    expect(sent.status).toBe(202);

    const chunkRun = await app.engine.waitForRun((run) => run.fn_id === "sendline-send-campaign-chunk", 20_000);
    const errors = async () => (await app.engine.history(chunkRun.id)).filter((entry) => entry.type === "step.errored");
    const settled = await waitFor(
      async () => ({ run: await app.engine.getRun(chunkRun.id), errors: await errors() }),
      ({ run, errors }) => run?.status === "completed" || errors.length > 0,
    );
    // Before the fix the chunk built the SMS provider too and threw "Twilio SMS needs …" on every attempt.
    expect(settled.errors.map((entry) => JSON.stringify(entry.data))).toEqual([]);
    expect(settled.run?.status).toBe("completed");
    const done = await waitFor(
      () => callRoute(campaignRoute.GET, { path: `/api/v1/campaigns/${id}`, apiKey, params: { id } }),
      (response) => response.body.status !== "sending",
    );
    expect(done.body.status).toBe("sent");
    expect(done.body.stats).toMatchObject({ audience: 3, sent: 3, failed: 0 });
    expect(await listOutboxMessages(database.db, { workspaceId, filter: { campaignId: id }, limit: 10 })).toHaveLength(3);
  }, 60_000);

  it("sending an SMS campaign answers 503 naming what Twilio still needs, and the campaign stays a draft", async () => {
    const { listId } = await seedCampaignAudience(database.db, { workspaceId, size: 1, prefix: "halfsms" });
    const template = await callRoute(templatesRoute.POST, { method: "POST", path: "/api/v1/templates", apiKey, body: { channel: "sms", name: "Hi", body: "Hi" } });
    const created = await callRoute(campaignsRoute.POST, {
      method: "POST",
      path: "/api/v1/campaigns",
      apiKey,
      body: { name: "SMS", channel: "sms", templateId: template.body.id, audience: { listId } },
    });
    const id = created.body.id as string;
    const sent = await callRoute(actionRoute.POST, { method: "POST", path: `/api/v1/campaigns/${id}/send`, apiKey, params: { id, action: "send" } });
    expect(sent.status).toBe(503);
    expect(sent.body.error).toMatchObject({ code: "not_configured", message: expect.stringMatching(/^Twilio SMS needs TWILIO_ACCOUNT_SID, TWILIO_FROM/) });
    expect((await callRoute(campaignRoute.GET, { path: `/api/v1/campaigns/${id}`, apiKey, params: { id } })).body.status).toBe("draft");
  });

  it("an SMS fails at once, naming what Twilio still needs", async () => {
    const posted = await callRoute(notificationsRoute.POST, {
      method: "POST",
      path: "/api/v1/notifications",
      apiKey,
      body: { messageId: "half-sms-1", channel: "sms", to: "+14155550123", body: "Hi" },
    });
    expect(posted.status).toBe(202);
    const id = posted.body.id as string;
    const failed = await waitFor(
      () => callRoute(notificationRoute.GET, { path: `/api/v1/notifications/${id}`, apiKey, params: { id } }),
      (response) => response.body.status === "failed",
    );
    expect(failed.body.error).toMatch(/TWILIO_ACCOUNT_SID, TWILIO_FROM/);
    const [run] = (await app.engine.listRuns({ fnId: "sendline-send-notification" })).filter((r) => r.event.data.messageId === id);
    expect(run?.status).toBe("failed");
    // NonRetriable: one attempt, not six.
    const timeline = (await app.engine.history(run!.id)).map((entry) => entry.type);
    expect(timeline).toContain("step.failed");
    expect(timeline).not.toContain("step.errored");
  }, 30_000);
});
