import { generateKeyPairSync, randomUUID } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ENGAGEMENT_COUNTERS, type EngagementTotals } from "@/core/analytics/engagement";
import { base64UrlToBytes, bytesToBase64Url } from "@/core/seals/seal-bytes";
import { SEAL_FORMAT, type SealBody, type SealPublicKey, type Signed } from "@/core/seals/seal-format";
import { canonicalBytes, sealHash } from "@/core/seals/seal-hash";
import { chainCheck, verifySealChain, verifySigned } from "@/core/seals/verify-seal";
import { sealSigner, type SealSigner } from "@/lib/seals/seal-signing-key";

const pem = () => generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const signer = await sealSigner({ SEAL_SIGNING_KEY: pem(), NODE_ENV: "test" });
const keys = new Map<string, SealPublicKey>([[signer.publicKey.keyId, signer.publicKey]]);

const counters = fc.record(Object.fromEntries(ENGAGEMENT_COUNTERS.map((name) => [name, fc.nat({ max: 1_000_000 })])) as Record<keyof EngagementTotals, fc.Arbitrary<number>>);
const progress = fc.record({ audience: fc.nat(), sent: fc.nat(), suppressed: fc.nat(), failed: fc.nat() });
const chains = fc.array(fc.record({ metrics: counters, progress, kind: fc.constantFrom("finished" as const, "settled" as const, "manual" as const) }), { minLength: 1, maxLength: 8 });

async function chainOf(links: { metrics: EngagementTotals; progress: SealBody["progress"]; kind: SealBody["kind"] }[], by: SealSigner = signer): Promise<Signed<SealBody>[]> {
  const workspaceId = randomUUID();
  const seals: Signed<SealBody>[] = [];
  for (const [index, link] of links.entries()) {
    const body: SealBody = {
      format: SEAL_FORMAT,
      keyId: by.publicKey.keyId,
      workspaceId,
      campaignId: randomUUID(),
      sequence: index + 1,
      prevHash: seals.at(-1)?.hash ?? null,
      kind: link.kind,
      sealedAt: new Date(Date.UTC(2026, 11, 1, 0, index)).toISOString(),
      window: { startedAt: "2026-11-30T10:00:00.000Z", finishedAt: "2026-11-30T11:00:00.000Z" },
      progress: link.progress,
      metrics: link.metrics,
    };
    const hash = await sealHash(body);
    seals.push({ body, hash, signature: by.sign(hash) });
  }
  return seals;
}

const flipChar = (text: string, at: number) => {
  const index = at % text.length;
  const alphabet = /^[0-9a-f]+$/.test(text) ? "0123456789abcdef" : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const next = alphabet[(alphabet.indexOf(text[index]!) + 1) % alphabet.length]!;
  return text.slice(0, index) + next + text.slice(index + 1);
};

describe("seal format", () => {
  it("hashes the RFC 8785 form, whatever the key order", async () => {
    expect(new TextDecoder().decode(canonicalBytes({ b: 1, a: [true, null, "é"], c: { z: 1.5, y: 0 } }))).toBe('{"a":[true,null,"é"],"b":1,"c":{"y":0,"z":1.5}}');
    expect(await sealHash({ b: 1, a: 2 })).toBe(await sealHash({ a: 2, b: 1 }));
  });

  it("a signature by another key fails, and the key must be the one the seal names", async () => {
    const other = await sealSigner({ SEAL_SIGNING_KEY: pem(), NODE_ENV: "test" });
    const [seal] = await chainOf([{ metrics: Object.fromEntries(ENGAGEMENT_COUNTERS.map((name) => [name, 1])) as EngagementTotals, progress: { audience: 1, sent: 1, suppressed: 0, failed: 0 }, kind: "finished" }]);
    const forged = { ...seal!, signature: other.sign(seal!.hash) };
    expect((await verifySigned(forged, signer.publicKey)).find((check) => check.check === "signature")?.ok).toBe(false);
    expect((await verifySigned(seal!, other.publicKey)).find((check) => check.check === "key")?.ok).toBe(false);
  });
});

describe("seal chains (property)", () => {
  it("a chain as sealed verifies", async () => {
    await fc.assert(fc.asyncProperty(chains, async (links) => {
        expect(await verifySealChain(await chainOf(links), keys)).toEqual([]);
      }), { numRuns: 40 });
  });

  it("fails for any single change: a metric, a hash, a link, a signature, the order", async () => {
    const mutations = fc.constantFrom("metric", "progress", "hash", "prev", "signature", "order", "sequence");
    await fc.assert(
      fc.asyncProperty(chains, mutations, fc.nat(), fc.nat(), async (links, mutation, pick, at) => {
        const seals = await chainOf(links);
        const index = pick % seals.length;
        const seal = seals[index]!;
        const counter = ENGAGEMENT_COUNTERS[at % ENGAGEMENT_COUNTERS.length]!;
        if (mutation === "order" || mutation === "prev") fc.pre(seals.length > 1 || mutation === "prev");
        switch (mutation) {
          case "metric":
            seals[index] = { ...seal, body: { ...seal.body, metrics: { ...seal.body.metrics, [counter]: seal.body.metrics[counter] + 1 + (at % 7) } } };
            break;
          case "progress":
            seals[index] = { ...seal, body: { ...seal.body, progress: { ...seal.body.progress, sent: seal.body.progress.sent + 1 } } };
            break;
          case "hash":
            seals[index] = { ...seal, hash: flipChar(seal.hash, at) };
            break;
          case "prev":
            seals[index] = { ...seal, body: { ...seal.body, prevHash: seal.body.prevHash ? flipChar(seal.body.prevHash, at) : "0".repeat(64) } };
            break;
          case "signature": {
            const bytes = base64UrlToBytes(seal.signature);
            bytes[at % bytes.length]! ^= 1 << (at % 8);
            seals[index] = { ...seal, signature: bytesToBase64Url(bytes) };
            break;
          }
          case "sequence":
            seals[index] = { ...seal, body: { ...seal.body, sequence: seal.body.sequence + 1 } };
            break;
          case "order": {
            const other = (index + 1 + (at % (seals.length - 1))) % seals.length;
            [seals[index], seals[other]] = [seals[other]!, seals[index]!];
            break;
          }
        }
        expect(await verifySealChain(seals, keys)).not.toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it("names what is wrong with a link", () => {
    const body = { sequence: 2, prevHash: "a".repeat(64), workspaceId: "w" } as SealBody;
    expect(chainCheck(body, { sequence: 1, hash: "a".repeat(64), workspaceId: "w" }).ok).toBe(true);
    expect(chainCheck(body, { sequence: 1, hash: "b".repeat(64) }).detail).toMatch(/but the previous seal's hash is b+/);
    expect(chainCheck(body, { sequence: 3, hash: "a".repeat(64) }).detail).toBe("seal 2 does not follow seal 3");
    expect(chainCheck(body, null).ok).toBeNull();
  });
});
