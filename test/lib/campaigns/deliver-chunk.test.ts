import { sql } from "drizzle-orm";
import { createProviders } from "@/lib/providers/create-providers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { campaignProgress } from "@/db/queries/campaign-recipients";
import { getCampaign } from "@/db/queries/campaigns";
import { creditBalance } from "@/db/queries/credits";
import { listOutboxMessages } from "@/db/queries/outbox-messages";
import { takeProviderSlot } from "@/db/queries/provider-pacing";
import { rowsOf } from "@/db/queries/rows-of";
import { suppress } from "@/db/queries/suppressions";
import { applyCampaignAction } from "@/lib/campaigns/campaign-actions";
import { campaignSettings } from "@/lib/campaigns/campaign-settings";
import { endCampaignIfDone } from "@/lib/campaigns/end-campaign-if-done";
import { deliverChunk } from "@/lib/campaigns/deliver-chunk";
import type { Providers } from "@/lib/notifications/deliver-message";
import type { EmailProvider } from "@/lib/providers/email/email-provider";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { OUTBOX_ACCOUNT, plannedCampaign } from "@/test/support/planned-campaign";

const BASE = "https://sendline.example";
// Parts of two, so a five-recipient chunk takes three provider calls; no pacing wait.
const settings = { ...campaignSettings({}), emailBatchSize: 2, emailRequestsPerSecond: 1_000 };

let database: Database;
let workspaceId: string;
let providers: Providers;

beforeAll(async () => {
  vi.stubEnv("TRACKING_SECRET", "send-chunk-secret-send-chunk-secret");
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Chunks" }));
  providers = createProviders(database.db, {});
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await database.close();
});

const plan = (prefix: string, size = 3, template?: { subject: string; body: string }) => plannedCampaign(database.db, settings, { workspaceId, size, prefix, template });
const run = (campaignId: string, using: Providers = providers) =>
  deliverChunk(database.db, using, settings, { workspaceId, campaignId, chunk: 0, providerAccount: OUTBOX_ACCOUNT, baseUrl: BASE });
const outbox = async (campaignId: string) => listOutboxMessages(database.db, { workspaceId, filter: { campaignId }, limit: 100 });
const sentTo = async (campaignId: string) => (await outbox(campaignId)).map((message) => message.to).sort();
const recipients = async (campaignId: string) =>
  rowsOf<{ email: string; status: string; reason: string | null }>(
    await database.db.execute(sql`
      select c.email, r.status::text, r.reason from campaign_recipients r left join contacts c on c.id = r.contact_id
      where r.campaign_id = ${campaignId}::uuid order by c.email`),
  );
const balance = () => creditBalance(database.db, { workspaceId });

describe("deliverChunk", () => {
  it("sends each pending recipient once; running it again sends nothing more", async () => {
    const campaign = await plan("once", 5);
    expect(await run(campaign.id)).toEqual({ state: "done", sent: 5, suppressed: 0, failed: 0, completed: true, campaignDone: true });
    expect(await run(campaign.id)).toEqual({ state: "done", sent: 0, suppressed: 0, failed: 0, completed: false, campaignDone: true });
    expect(await sentTo(campaign.id)).toEqual(["once1@example.com", "once2@example.com", "once3@example.com", "once4@example.com", "once5@example.com"]);
  });

  it("checks suppression at send time: an address suppressed after the campaign was planned is not sent to", async () => {
    const campaign = await plan("supp");
    await suppress(database.db, { workspaceId, channel: "email", address: "supp2@example.com", reason: "hard_bounce" });
    expect(await run(campaign.id)).toMatchObject({ sent: 2, suppressed: 1 });
    expect(await sentTo(campaign.id)).toEqual(["supp1@example.com", "supp3@example.com"]);
    expect(await recipients(campaign.id)).toContainEqual({ email: "supp2@example.com", status: "suppressed", reason: "address is on the suppression list" });
  });

  it("checks consent at send time: a contact who unsubscribed after the campaign was planned is not sent to", async () => {
    const campaign = await plan("unsub");
    await database.db.execute(sql`update contacts set status = 'unsubscribed', unsubscribed_at = now() where email = 'unsub3@example.com'`);
    expect(await run(campaign.id)).toMatchObject({ sent: 2, suppressed: 1 });
    expect(await sentTo(campaign.id)).toEqual(["unsub1@example.com", "unsub2@example.com"]);
    expect(await recipients(campaign.id)).toContainEqual({ email: "unsub3@example.com", status: "suppressed", reason: "unsubscribed" });
  });

  it("does not send to a contact erased after planning", async () => {
    const campaign = await plan("erased");
    await database.db.execute(sql`delete from contacts where email = 'erased1@example.com'`);
    expect(await run(campaign.id)).toMatchObject({ sent: 2, suppressed: 1 });
    expect(await recipients(campaign.id)).toContainEqual({ email: null, status: "suppressed", reason: "contact erased" });
  });

  it("sends nothing for a paused campaign", async () => {
    const campaign = await plan("paused");
    await applyCampaignAction(database.db, campaign, "pause");
    expect(await run(campaign.id)).toMatchObject({ state: "halted", sent: 0 });
    expect(await outbox(campaign.id)).toEqual([]);
  });

  it("adds no unsubscribe footer when the template places {{ unsubscribe_url }} itself, and one when it does not", async () => {
    const own = await plan("ownlink", 1, { subject: "News", body: "<p>News</p><p>Unsubscribe: {{ unsubscribe_url }}</p>" });
    const none = await plan("nolink", 1, { subject: "News", body: "<p>News</p>" });
    await run(own.id);
    await run(none.id);
    const [ownEmail] = await outbox(own.id);
    const [plainEmail] = await outbox(none.id);
    expect(ownEmail!.html).toMatch(/^<p>News<\/p><p>Unsubscribe: https:\/\/sendline\.example\/u\/[\w.-]+<\/p><img /);
    expect(ownEmail!.html).not.toContain("Don&#39;t want these emails");
    expect(plainEmail!.html).toContain("Don&#39;t want these emails");
  });
});

describe("a campaign whose messages fail", () => {
  it("fails every recipient with the template's error, ends failed with the reason, and takes no credit", async () => {
    const before = await balance();
    const campaign = await plan("allfail", 3, { subject: "News", body: "<p>Hi {{ first_name }}</p>" });
    expect(await balance()).toBe(before - 3);
    expect(await run(campaign.id)).toMatchObject({ state: "done", sent: 0, failed: 3 });
    expect(await outbox(campaign.id)).toEqual([]);
    expect((await recipients(campaign.id)).map((r) => r.reason)).toEqual(Array(3).fill("template variable `first_name` is undefined in the body, line 1"));

    expect(await endCampaignIfDone(database.db, { workspaceId, campaignId: campaign.id })).toMatchObject({ finalized: true, status: "failed", released: 3 });
    expect(await getCampaign(database.db, { workspaceId, campaignId: campaign.id })).toMatchObject({
      status: "failed",
      statusReason: "All 3 messages failed: template variable `first_name` is undefined in the body, line 1 (3)",
    });
    expect(await balance()).toBe(before);
  });

  it("ends sent when some messages went out, naming the failures; only sent messages cost credits", async () => {
    const before = await balance();
    const campaign = await plan("somefail", 3, { subject: "News", body: "<p>At {{ contact.attributes.company }}</p>" });
    await database.db.execute(sql`update contacts set attributes = '{"company":"Acme"}' where email in ('somefail1@example.com', 'somefail3@example.com')`);
    expect(await run(campaign.id)).toMatchObject({ sent: 2, failed: 1 });
    await endCampaignIfDone(database.db, { workspaceId, campaignId: campaign.id });
    expect(await getCampaign(database.db, { workspaceId, campaignId: campaign.id })).toMatchObject({
      status: "sent",
      statusReason: "1 of 3 messages failed: template variable `contact.attributes.company` is undefined in the body, line 1 (1)",
    });
    expect(await balance()).toBe(before - 2);
  });

  it("names the commonest reasons and counts the rest", async () => {
    const campaign = await plan("mixed", 5, { subject: "News", body: "<p>{{ contact.attributes.a }}{{ contact.attributes.b }}{{ contact.attributes.c }}{{ contact.attributes.d }}</p>" });
    await database.db.execute(sql`update contacts set attributes = '{"b":1,"c":1,"d":1}' where email in ('mixed1@example.com', 'mixed2@example.com')`);
    await database.db.execute(sql`update contacts set attributes = '{"a":1,"c":1,"d":1}' where email = 'mixed3@example.com'`);
    await database.db.execute(sql`update contacts set attributes = '{"a":1,"b":1,"d":1}' where email = 'mixed4@example.com'`);
    await database.db.execute(sql`update contacts set attributes = '{"a":1,"b":1,"c":1}' where email = 'mixed5@example.com'`);
    await run(campaign.id);
    await endCampaignIfDone(database.db, { workspaceId, campaignId: campaign.id });
    expect((await getCampaign(database.db, { workspaceId, campaignId: campaign.id }))?.statusReason).toBe(
      "All 5 messages failed: template variable `contact.attributes.a` is undefined in the body, line 1 (2); " +
        "template variable `contact.attributes.b` is undefined in the body, line 1 (1); " +
        "template variable `contact.attributes.c` is undefined in the body, line 1 (1); other errors (1)",
    );
  });
});

describe("cancelling mid-send", () => {
  it("stops a part still waiting for its provider slot, and gives every credit back", async () => {
    const before = await balance();
    const campaign = await plan("slot", 2);
    // Another sender holds the account's next two seconds.
    await takeProviderSlot(database.db, { account: OUTBOX_ACCOUNT, costMs: 2_000, catchUpMs: 0, now: new Date() });
    await takeProviderSlot(database.db, { account: OUTBOX_ACCOUNT, costMs: 1, catchUpMs: 0, now: new Date() });
    const running = run(campaign.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await applyCampaignAction(database.db, (await getCampaign(database.db, { workspaceId, campaignId: campaign.id }))!, "cancel");
    expect(await running).toMatchObject({ state: "halted", sent: 0 });
    expect(await outbox(campaign.id)).toEqual([]);
    expect(await balance()).toBe(before);
  });

  it("lets a part already on its way go out and charges exactly what was sent", async () => {
    const before = await balance();
    const campaign = await plan("inflight", 5);
    let arrived!: () => void;
    let proceed!: () => void;
    const inProvider = new Promise<void>((resolve) => (arrived = resolve));
    const release = new Promise<void>((resolve) => (proceed = resolve));
    const slow: EmailProvider = {
      ...providers.email,
      name: providers.email.name,
      async sendBatch(messages, options) {
        arrived();
        await release;
        return providers.email.sendBatch(messages, options);
      },
    };
    const running = run(campaign.id, { ...providers, email: slow });
    await inProvider;
    // The first part (two messages) is in the provider's hands when the cancel comes.
    const cancelled = await applyCampaignAction(database.db, (await getCampaign(database.db, { workspaceId, campaignId: campaign.id }))!, "cancel");
    expect(cancelled.ok).toBe(true);
    expect(await balance()).toBe(before - 5);
    proceed();
    expect(await running).toMatchObject({ state: "halted", sent: 2 });
    expect((await campaignProgress(database.db, { campaignId: campaign.id })).sent).toBe(2);
    expect(await outbox(campaign.id)).toHaveLength(2);
    expect(await balance()).toBe(before - 2);
  });

  it("finishes a part whose call failed before the cancel when the chunk is retried, then gives the rest back", async () => {
    const before = await balance();
    const campaign = await plan("lostpart", 5);
    // The first part's call fails (a 429, an outage, a lost answer): it stays claimed.
    const failing: EmailProvider = {
      ...providers.email,
      name: providers.email.name,
      async sendBatch() {
        throw new Error("connection reset");
      },
    };
    await expect(run(campaign.id, { ...providers, email: failing })).rejects.toThrow("connection reset");
    const cancelled = await applyCampaignAction(database.db, (await getCampaign(database.db, { workspaceId, campaignId: campaign.id }))!, "cancel");
    expect(cancelled.ok).toBe(true);
    // Committed before the cancel, so the retry sends it (a provider that took it answers from its
    // idempotency store); nothing else moves.
    expect(await run(campaign.id)).toMatchObject({ state: "halted", sent: 2, completed: false });
    expect(await sentTo(campaign.id)).toHaveLength(2);
    expect(await balance()).toBe(before - 2);
    expect(await run(campaign.id)).toMatchObject({ state: "halted", sent: 0 });
    expect(await sentTo(campaign.id)).toHaveLength(2);
  });
});

describe("a provider call whose answer was lost", () => {
  it("is repeated as the same call under the same key on retry, even when one of its recipients unsubscribed meanwhile", async () => {
    const campaign = await plan("answerless", 4);
    // The provider takes the first part (two emails) and the answer never arrives.
    let calls = 0;
    const lossy: EmailProvider = {
      ...providers.email,
      name: providers.email.name,
      async sendBatch(messages, options) {
        const result = await providers.email.sendBatch(messages, options);
        if (++calls === 1) throw new Error("socket hang up");
        return result;
      },
    };
    await expect(run(campaign.id, { ...providers, email: lossy })).rejects.toThrow("socket hang up");
    const [taken] = await sentTo(campaign.id);
    // One of the two the provider already took unsubscribes before the retry.
    await database.db.execute(sql`update contacts set status = 'unsubscribed', unsubscribed_at = now() where email = ${taken}`);

    expect(await run(campaign.id)).toMatchObject({ state: "done", completed: true });
    const sent = await sentTo(campaign.id);
    // Four emails, each once: the lost call's two were not sent again under another key.
    expect(sent).toHaveLength(4);
    expect(new Set(sent).size).toBe(4);
    expect((await campaignProgress(database.db, { campaignId: campaign.id })).sent).toBe(4);
  });
});

describe("the last chunk", () => {
  it("reports the campaign done only once every chunk is done", async () => {
    const small = { ...settings, chunkSize: 2 };
    const campaign = await plannedCampaign(database.db, small, { workspaceId, size: 3, prefix: "last" });
    const chunk = (n: number) => deliverChunk(database.db, providers, small, { workspaceId, campaignId: campaign.id, chunk: n, providerAccount: OUTBOX_ACCOUNT, baseUrl: BASE });
    expect(await chunk(1)).toMatchObject({ state: "done", sent: 1, completed: true, campaignDone: false });
    expect(await chunk(0)).toMatchObject({ state: "done", sent: 2, completed: true, campaignDone: true });
    // A retry of a finished chunk (its report lost) says so again; the report's event id is per campaign.
    expect(await chunk(1)).toMatchObject({ sent: 0, completed: false, campaignDone: true });
  });
});

describe("several parts in flight", () => {
  const overlapping = { ...settings, emailPartsInFlight: 3 };
  const runOverlapping = (campaignId: string, using: Providers = providers) =>
    deliverChunk(database.db, using, overlapping, { workspaceId, campaignId, chunk: 0, providerAccount: OUTBOX_ACCOUNT, baseUrl: BASE });

  it("has up to emailPartsInFlight provider calls on their way at once, and sends each recipient once", async () => {
    const campaign = await plan("overlap", 9);
    let inProvider = 0;
    let most = 0;
    const counting: EmailProvider = {
      ...providers.email,
      name: providers.email.name,
      async sendBatch(messages, options) {
        most = Math.max(most, ++inProvider);
        // Each call waits until three were on their way at once (or two seconds passed), so the
        // overlap shows however slowly the lanes take their slots and claims.
        const until = Date.now() + 2_000;
        while (most < 3 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
        inProvider--;
        return providers.email.sendBatch(messages, options);
      },
    };
    expect(await runOverlapping(campaign.id, { ...providers, email: counting })).toMatchObject({ state: "done", sent: 9, completed: true });
    expect(most).toBe(3);
    expect(await sentTo(campaign.id)).toHaveLength(9);
    expect(await runOverlapping(campaign.id)).toMatchObject({ sent: 0 });
    expect(await sentTo(campaign.id)).toHaveLength(9);
  });

  it("records the parts that went out when another fails, and a retry sends only the rest", async () => {
    const campaign = await plan("partfail", 6);
    let calls = 0;
    const flaky: EmailProvider = {
      ...providers.email,
      name: providers.email.name,
      async sendBatch(messages, options) {
        if (++calls === 2) throw new Error("connection reset");
        return providers.email.sendBatch(messages, options);
      },
    };
    await expect(runOverlapping(campaign.id, { ...providers, email: flaky })).rejects.toThrow("connection reset");
    expect((await campaignProgress(database.db, { campaignId: campaign.id })).sent).toBe(4);
    expect(await runOverlapping(campaign.id)).toMatchObject({ state: "done", sent: 2, completed: true });
    expect(await sentTo(campaign.id)).toEqual(["partfail1@example.com", "partfail2@example.com", "partfail3@example.com", "partfail4@example.com", "partfail5@example.com", "partfail6@example.com"]);
  });
});
