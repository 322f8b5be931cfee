import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { buildSealRoots } from "@/lib/seals/build-seal-roots";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { collectLogLines } from "@/test/support/log-lines";
import { sampleSum } from "@/test/support/prometheus-text";
import { metrics } from "@/lib/observability/metrics";
import { engage, engagedCampaign } from "@/test/support/sealed-campaign";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "seal-api-"));
process.env.SENDLINE_DATA_DIR = dataDir;
const seals = await import("@/app/api/v1/campaigns/[id]/seals/route");
const publicSeal = await import("@/app/api/public/seals/[id]/route");
const wellKnown = await import("@/app/.well-known/sendline-seal-key/route");
const run = promisify(execFile);

let database: Database;
let apiKey: string;
let otherKey: string;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Sealer" }));
  ({ apiKey: otherKey } = await createWorkspace(database.db, { name: "Other" }));
});
afterAll(async () => {
  await database?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const post = (id: string, key = apiKey) => callRoute(seals.POST, { method: "POST", path: `/api/v1/campaigns/${id}/seals`, apiKey: key, params: { id } });
const list = (id: string, key = apiKey) => callRoute(seals.GET, { path: `/api/v1/campaigns/${id}/seals`, apiKey: key, params: { id } });
const bundle = (id: string) => callRoute(publicSeal.GET, { path: `/api/public/seals/${id}`, params: { id } });

/** The CLI as a person runs it, on a file. */
async function verifySealCli(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run("node_modules/.bin/tsx", ["scripts/verify-seal.ts", ...args]);
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout + failed.stderr };
  }
}

describe("campaign seals API", () => {
  it("seals on demand, lists the chain re-verified with its drift, and keeps workspaces apart", async () => {
    const { campaign, messageIds } = await engagedCampaign(database.db, { workspaceId, prefix: "api" });
    const before = sampleSum(await metrics().registry.metrics(), "sendline_seals_total", { outcome: "sealed" });
    const logs = collectLogLines();
    const created = await post(campaign.id);
    logs.stop();
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ campaignId: campaign.id, sequence: 1, kind: "manual", verified: true, drift: [], merkle: null, publicUrl: `/seals/${created.body.id}` });
    expect(created.body.body.metrics).toMatchObject({ sent: 3, opened: 1 });
    expect(sampleSum(await metrics().registry.metrics(), "sendline_seals_total", { outcome: "sealed" })).toBe(before + 1);
    expect(logs.lines().find((line) => line.msg === "seals: campaign metrics sealed")).toMatchObject({ campaignId: campaign.id, sealId: created.body.id, sequence: 1 });

    await engage(database.db, messageIds[1]!, "opened");
    const second = await post(campaign.id);
    expect(second.body).toMatchObject({ sequence: 2, prevHash: created.body.hash });
    const listed = await list(campaign.id);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((seal: { sequence: number }) => seal.sequence)).toEqual([1, 2]);
    expect(listed.body.data[0].drift).toEqual([
      { field: "metrics.opened", sealed: 1, current: 2 },
      { field: "metrics.uniqueOpened", sealed: 1, current: 2 },
    ]);

    expect((await list(campaign.id, otherKey)).status).toBe(404);
    expect((await post(campaign.id, otherKey)).status).toBe(404);
    expect((await post("not-a-uuid")).status).toBe(404);
  });

  it("answers 409 for a campaign that has not started and 503 with the reason when production has no key", async () => {
    const { campaign } = await engagedCampaign(database.db, { workspaceId, prefix: "draft" });
    await database.db.execute(sql`update campaigns set started_at = null, status = 'draft' where id = ${campaign.id}`);
    expect((await post(campaign.id)).body.error.code).toBe("not_started");
    await database.db.execute(sql`update campaigns set started_at = now(), status = 'sent' where id = ${campaign.id}`);

    const env = process.env as Record<string, string | undefined>;
    const nodeEnv = env.NODE_ENV;
    env.NODE_ENV = "production";
    try {
      const refused = await post(campaign.id);
      expect(refused.status).toBe(503);
      expect(refused.body.error).toEqual({ code: "sealing_unavailable", message: expect.stringMatching(/SEAL_SIGNING_KEY is not set/) });
    } finally {
      env.NODE_ENV = nodeEnv;
    }
  });
});

describe("public seals", () => {
  it("publishes a seal without auth (404 for an unknown id), and the key at the well-known URL", async () => {
    const { campaign } = await engagedCampaign(database.db, { workspaceId, prefix: "public" });
    const { body: sealed } = await post(campaign.id);
    const published = await bundle(sealed.id);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ id: sealed.id, seal: { hash: sealed.hash, body: { campaignId: campaign.id } }, key: { keyId: sealed.keyId } });
    expect(JSON.stringify(published.body)).not.toMatch(/@example\.com/);
    expect((await bundle("00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await bundle("nope")).status).toBe(404);

    const keys = await callRoute(wellKnown.GET as never, { path: "/.well-known/sendline-seal-key" });
    expect(keys.body.current).toBe(sealed.keyId);
    expect(keys.body.keys[0]).toMatchObject({ kid: sealed.keyId, kty: "OKP", crv: "Ed25519", alg: "EdDSA", pem: expect.stringMatching(/BEGIN PUBLIC KEY/) });
  });

  it("verify-seal passes a real seal with its chain and Merkle proof, and fails a tampered file or stored row", async () => {
    const { campaign } = await engagedCampaign(database.db, { workspaceId, prefix: "cli" });
    const first = (await post(campaign.id)).body;
    const second = (await post(campaign.id)).body;
    await buildSealRoots(database.db, { now: new Date(Date.now() + 24 * 60 * 60 * 1000) });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-seal-"));
    const write = (name: string, value: unknown) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, JSON.stringify(value, null, 2));
      return file;
    };
    const secondFile = write("second.json", (await bundle(second.id)).body);
    const firstFile = write("first.json", (await bundle(first.id)).body);

    const good = await verifySealCli(secondFile, "--previous", firstFile);
    expect(good.stdout).toMatch(/^ok +hash/m);
    expect(good.stdout).toMatch(/^ok +signature/m);
    expect(good.stdout).toMatch(/^ok +chain +follows seal/m);
    expect(good.stdout).toMatch(/^ok +merkle/m);
    expect(good.code).toBe(0);

    // A number edited in the file.
    const edited = JSON.parse(fs.readFileSync(secondFile, "utf8"));
    edited.seal.body.metrics.opened += 1;
    const bad = await verifySealCli(write("edited.json", edited));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^FAIL hash .*the content was changed/m);

    // A previous seal that is not the one linked.
    const other = await verifySealCli(firstFile, "--previous", secondFile);
    expect(other.code).toBe(1);
    expect(other.stdout).toMatch(/^FAIL chain/m);

    // A number edited in the stored row: what the endpoint publishes no longer verifies.
    await database.db.execute(sql`update metric_seals set body = jsonb_set(body, '{metrics,sent}', '300') where id = ${second.id}`);
    const stored = await verifySealCli(write("stored.json", (await bundle(second.id)).body));
    expect(stored.code).toBe(1);
    expect(stored.stdout).toMatch(/^FAIL hash/m);
    expect(stored.stdout).toMatch(/NOT VERIFIED/);
    const listed = (await list(campaign.id)).body.data.find((seal: { id: string }) => seal.id === second.id);
    expect(listed).toMatchObject({ verified: false, problems: [expect.stringMatching(/the content was changed/)] });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("after a key rotation the new key signs, the old one stays listed, and old seals still verify", async () => {
    const { campaign } = await engagedCampaign(database.db, { workspaceId, prefix: "rotate" });
    const old = (await post(campaign.id)).body;
    process.env.SEAL_SIGNING_KEY = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    try {
      const rotated = (await post(campaign.id)).body;
      expect(rotated.keyId).not.toBe(old.keyId);
      expect(rotated.body.prevHash).toBe(old.hash);
      const keys = (await callRoute(wellKnown.GET as never, { path: "/.well-known/sendline-seal-key" })).body;
      expect(keys.current).toBe(rotated.keyId);
      expect(keys.keys.map((key: { kid: string }) => key.kid)).toEqual(expect.arrayContaining([old.keyId, rotated.keyId]));
      const { verifySealBundle, sealVerified } = await import("@/core/seals/verify-seal");
      const trustedKeyIds = keys.keys.map((key: { kid: string }) => key.kid);
      for (const id of [old.id, rotated.id]) expect(sealVerified(await verifySealBundle((await bundle(id)).body, { trustedKeyIds }))).toBe(true);
      expect((await list(campaign.id)).body.data.every((seal: { verified: boolean }) => seal.verified)).toBe(true);
    } finally {
      delete process.env.SEAL_SIGNING_KEY;
    }
  });

  it("a seal signed by another key than the one published fails its key check", async () => {
    const { campaign } = await engagedCampaign(database.db, { workspaceId, prefix: "forged" });
    const published = (await bundle((await post(campaign.id)).body.id)).body;
    const { sealSigner } = await import("@/lib/seals/seal-signing-key");
    const forger = await sealSigner({ NODE_ENV: "test", SEAL_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString() });
    const { sealHash } = await import("@/core/seals/seal-hash");
    const body = { ...published.seal.body, keyId: forger.publicKey.keyId, metrics: { ...published.seal.body.metrics, opened: 1_000 } };
    const hash = await sealHash(body);
    const forged = { ...published, seal: { body, hash, signature: forger.sign(hash) }, key: forger.publicKey };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-seal-"));
    const file = path.join(dir, "forged.json");
    const keysFile = path.join(dir, "keys.json");
    fs.writeFileSync(file, JSON.stringify(forged));
    fs.writeFileSync(keysFile, JSON.stringify((await callRoute(wellKnown.GET as never, { path: "/.well-known/sendline-seal-key" })).body));
    const result = await verifySealCli(file, "--keys", keysFile);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL key .*is not among the published keys/m);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
