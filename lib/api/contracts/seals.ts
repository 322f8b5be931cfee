import { z } from "zod";
import { ENGAGEMENT_COUNTERS } from "@/core/analytics/engagement";
import { SEAL_FORMAT, SEAL_KINDS } from "@/core/seals/seal-format";
import { apiOperation } from "@/lib/api/api-operation";
import { idParams, nullableTimestamp, timestamp } from "./common";

const tag = "Campaigns";
const count = z.number().int();
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const sealBodySchema = z
  .object({
    format: z.literal(SEAL_FORMAT),
    keyId: z.string().meta({ description: "`ed25519:` + the first 16 bytes of SHA-256 over the raw public key, hex" }),
    workspaceId: z.uuid(),
    campaignId: z.uuid(),
    sequence: count.meta({ description: "1, 2, 3… per workspace" }),
    prevHash: hex64.nullable().meta({ description: "The hash of the workspace's seal numbered `sequence - 1`; null for the first" }),
    kind: z.enum(SEAL_KINDS),
    sealedAt: timestamp,
    window: z.object({ startedAt: nullableTimestamp, finishedAt: nullableTimestamp }),
    progress: z.object({ audience: count, sent: count, suppressed: count, failed: count }),
    metrics: z.object(Object.fromEntries(ENGAGEMENT_COUNTERS.map((name) => [name, count])) as Record<(typeof ENGAGEMENT_COUNTERS)[number], typeof count>),
  })
  .meta({ id: "SealBody", description: "What is signed: SHA-256 over its RFC 8785 canonical JSON is `hash`" });

export const sealSchema = z
  .object({
    id: z.uuid(),
    campaignId: z.uuid(),
    sequence: count,
    kind: z.enum(SEAL_KINDS),
    sealedAt: timestamp,
    hash: hex64,
    prevHash: hex64.nullable(),
    keyId: z.string(),
    signature: z.string().meta({ description: "Ed25519 over the 32 bytes of `hash`, base64url" }),
    body: sealBodySchema,
    verified: z.boolean().meta({ description: "The stored row still hashes to `hash` and its signature holds" }),
    problems: z.array(z.string()).meta({ description: "What failed when `verified` is false" }),
    drift: z
      .array(z.object({ field: z.string(), sealed: count, current: count }))
      .meta({ description: "Sealed counters that differ from the rollups now (late events after a `finished` seal are expected)" }),
    merkle: z.object({ rootId: z.uuid(), leafIndex: count }).nullable().meta({ description: "Its place in a daily Merkle root; null until the day's root is built" }),
    publicUrl: z.string().meta({ description: "The public page that verifies it in the browser" }),
  })
  .meta({ id: "Seal" });

export const campaignSealsApi = {
  list: apiOperation({
    method: "get",
    path: "/campaigns/{id}/seals",
    tag,
    summary: "The campaign's metric seals, oldest first, each re-verified and compared with the rollups",
    params: idParams("campaign"),
    responses: { 200: { description: "Its seals", schema: z.object({ data: z.array(sealSchema) }) } },
    errors: { 404: "No such campaign in this workspace" },
  }),
  create: apiOperation({
    method: "post",
    path: "/campaigns/{id}/seals",
    tag,
    summary: "Seal the campaign's metrics now (a `manual` seal, the next link in the workspace's chain)",
    description: "Finished campaigns are sealed on their own when they end and again 72 hours later; this adds a seal at any time after the campaign started.",
    params: idParams("campaign"),
    responses: { 201: { description: "The new seal", schema: sealSchema } },
    errors: {
      404: "No such campaign in this workspace",
      409: "`not_started`: the campaign has not started, so there is nothing to seal",
      503: "`sealing_unavailable`: no signing key is configured (SEAL_SIGNING_KEY in production); the message says so",
    },
  }),
};
