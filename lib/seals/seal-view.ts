import type { Db } from "@/db";
import { listCampaignSeals, type MetricSeal } from "@/db/queries/metric-seals";
import { checkStoredSeal } from "./seal-drift";

/** Where anyone can check a seal: the public page (and `GET /api/public/seals/{id}` for machines). */
export const sealPagePath = (sealId: string) => `/seals/${sealId}`;

/** A seal as the workspace's API and dashboard show it, with the stored row re-verified and its drift from the rollups. */
export async function sealView(db: Db, seal: MetricSeal) {
  const check = await checkStoredSeal(db, seal);
  return {
    id: seal.id,
    campaignId: seal.campaignId,
    sequence: seal.sequence,
    kind: seal.kind,
    sealedAt: seal.sealedAt.toISOString(),
    hash: seal.hash,
    prevHash: seal.body.prevHash,
    keyId: seal.keyId,
    signature: seal.signature,
    body: seal.body,
    verified: check.verified,
    problems: check.problems,
    drift: check.drift,
    merkle: seal.rootId && seal.leafIndex !== null ? { rootId: seal.rootId, leafIndex: seal.leafIndex } : null,
    publicUrl: sealPagePath(seal.id),
  };
}
export type SealView = Awaited<ReturnType<typeof sealView>>;

/** A campaign's seals, oldest first, as the API and the campaign page show them. */
export async function campaignSealViews(db: Db, params: { workspaceId: string; campaignId: string }): Promise<SealView[]> {
  return Promise.all((await listCampaignSeals(db, params)).map((seal) => sealView(db, seal)));
}
