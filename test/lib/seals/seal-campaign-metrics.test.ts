import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { campaignTotals } from "@/db/queries/campaign-stats-hourly";
import { listCampaignSeals } from "@/db/queries/metric-seals";
import { auditLog, metricSeals } from "@/db/schema";
import { sealVerified, verifySealBundle, verifySealChain } from "@/core/seals/verify-seal";
import { buildSealRoots } from "@/lib/seals/build-seal-roots";
import { sealBundle } from "@/lib/seals/seal-bundle";
import { sealCampaignMetrics } from "@/lib/seals/seal-campaign-metrics";
import { checkStoredSeal } from "@/lib/seals/seal-drift";
import { sealSigner } from "@/lib/seals/seal-signing-key";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { engage, engagedCampaign } from "@/test/support/sealed-campaign";

let database: Database;
let workspaceId: string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "seals-"));
const env: NodeJS.ProcessEnv = { NODE_ENV: "test", SENDLINE_DATA_DIR: dataDir };

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Sealed" }));
});
afterAll(async () => {
  await database?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const seal = (campaignId: string, kind: "finished" | "settled" | "manual", sealEnv: NodeJS.ProcessEnv = env) =>
  sealCampaignMetrics(database.db, { workspaceId, campaignId, kind, actor: "test" }, sealEnv);

describe("sealCampaignMetrics", () => {
  it("seals the rollups' totals and the audience progress, and the seal verifies as published", async () => {
    const { campaign } = await engagedCampaign(database.db, { workspaceId, prefix: "first" });
    const result = await seal(campaign.id, "finished");
    if (result.outcome !== "sealed") throw new Error(result.outcome);
    const body = result.seal.body;
    expect(body).toMatchObject({ workspaceId, campaignId: campaign.id, kind: "finished", progress: { audience: 3 }, window: { startedAt: campaign.startedAt!.toISOString() } });
    expect(body.metrics).toEqual(await campaignTotals(database.db, { workspaceId, campaignId: campaign.id }));
    expect(body.metrics).toMatchObject({ sent: 3, opened: 1 });
    const bundle = (await sealBundle(database.db, { sealId: result.seal.id }))!;
    const checks = await verifySealBundle(bundle);
    expect(sealVerified(checks)).toBe(true);
    expect(checks.find((check) => check.check === "merkle")?.ok).toBeNull();
    // The development key was generated once, under the data directory.
    expect(fs.readFileSync(path.join(dataDir, "seal-key.pem"), "utf8")).toMatch(/BEGIN PRIVATE KEY/);
    expect((await sealSigner(env)).publicKey.keyId).toBe(body.keyId);
  });

  it("chains seals per workspace, makes finished and settled once each, and never forks under concurrent seals", async () => {
    const { campaign, messageIds } = await engagedCampaign(database.db, { workspaceId, prefix: "chain" });
    const finished = await seal(campaign.id, "finished");
    expect((await seal(campaign.id, "finished")).outcome).toBe("existing");
    await engage(database.db, messageIds[1]!, "clicked", { url: "https://shop.example.com/" });
    const settled = await seal(campaign.id, "settled");
    if (finished.outcome !== "sealed" || settled.outcome !== "sealed") throw new Error("not sealed");
    expect(settled.seal.body).toMatchObject({ sequence: finished.seal.sequence + 1, prevHash: finished.seal.hash });
    expect(settled.seal.body.metrics.clicked).toBe(1);

    await Promise.all(Array.from({ length: 6 }, () => seal(campaign.id, "manual")));
    const all = await database.db.select().from(metricSeals).where(eq(metricSeals.workspaceId, workspaceId)).orderBy(metricSeals.sequence);
    expect(all.map((row) => row.sequence)).toEqual(all.map((_, index) => index + 1));
    const key = (await sealSigner(env)).publicKey;
    expect(await verifySealChain(all.map((row) => ({ body: row.body, hash: row.hash, signature: row.signature })), new Map([[key.keyId, key]]))).toEqual([]);
    expect(await listCampaignSeals(database.db, { workspaceId, campaignId: campaign.id })).toHaveLength(8);
  });

  it("gathers each finished day's seals into a signed Merkle root with a proof per seal, once", async () => {
    const tomorrow = new Date(Date.now() + 24 * 60 * 60 * 1000);
    const built = await buildSealRoots(database.db, { now: tomorrow }, env);
    const total = (await database.db.select().from(metricSeals)).length;
    expect(built.reduce((sum, root) => sum + root.treeSize, 0)).toBe(total);
    expect(await buildSealRoots(database.db, { now: tomorrow }, env)).toEqual([]);
    for (const row of await database.db.select().from(metricSeals)) {
      const checks = await verifySealBundle((await sealBundle(database.db, { sealId: row.id }))!);
      expect(checks.find((check) => check.check === "merkle")).toMatchObject({ ok: true });
      expect(sealVerified(checks)).toBe(true);
    }
  });

  it("detects a changed metric in a stored seal, and reports drift from the rollups", async () => {
    const { campaign, messageIds } = await engagedCampaign(database.db, { workspaceId, prefix: "tamper" });
    const result = await seal(campaign.id, "finished");
    if (result.outcome !== "sealed") throw new Error(result.outcome);
    expect(await checkStoredSeal(database.db, result.seal)).toEqual({ verified: true, problems: [], drift: [] });

    await engage(database.db, messageIds[2]!, "complained", { source: "resend" });
    const drifted = await checkStoredSeal(database.db, result.seal);
    expect(drifted).toMatchObject({ verified: true, drift: [{ field: "metrics.complained", sealed: 0, current: 1 }] });

    await database.db.execute(sql`update metric_seals set body = jsonb_set(body, '{metrics,opened}', '999') where id = ${result.seal.id}`);
    const [stored] = await database.db.select().from(metricSeals).where(eq(metricSeals.id, result.seal.id));
    const check = await checkStoredSeal(database.db, stored!);
    expect(check.verified).toBe(false);
    expect(check.problems[0]).toMatch(/the content was changed/);
    const checks = await verifySealBundle((await sealBundle(database.db, { sealId: result.seal.id }))!);
    expect(sealVerified(checks)).toBe(false);
    expect(checks.find((one) => one.check === "hash")?.ok).toBe(false);
  });

  it("refuses in production without SEAL_SIGNING_KEY, says why, and records the refusal", async () => {
    const { campaign } = await engagedCampaign(database.db, { workspaceId, prefix: "refused" });
    const result = await seal(campaign.id, "finished", { NODE_ENV: "production" });
    expect(result).toEqual({ outcome: "refused", reason: expect.stringMatching(/^Sealing is refused: SEAL_SIGNING_KEY is not set/) });
    const audit = await database.db.select().from(auditLog).where(and(eq(auditLog.action, "campaign.seal_refused"), eq(auditLog.targetId, campaign.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ kind: "finished" });
    expect(await listCampaignSeals(database.db, { workspaceId, campaignId: campaign.id })).toEqual([]);

    // With a configured key, production seals (and names that key).
    const pem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const keyed = await seal(campaign.id, "finished", { NODE_ENV: "production", SEAL_SIGNING_KEY: pem });
    if (keyed.outcome !== "sealed") throw new Error(keyed.outcome);
    expect(keyed.seal.keyId).toBe((await sealSigner({ SEAL_SIGNING_KEY: pem, NODE_ENV: "test" })).publicKey.keyId);
  });

  it("answers not_found for another workspace's campaign", async () => {
    const { campaign } = await engagedCampaign(database.db, { workspaceId, prefix: "mine" });
    const { workspace: other } = await createWorkspace(database.db, { name: "Other" });
    expect(await sealCampaignMetrics(database.db, { workspaceId: other.id, campaignId: campaign.id, kind: "manual", actor: "test" }, env)).toEqual({ outcome: "not_found" });
  });
});
