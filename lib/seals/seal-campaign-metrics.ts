import type { Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { campaignProgress } from "@/db/queries/campaign-recipients";
import { campaignTotals } from "@/db/queries/campaign-stats-hourly";
import { getCampaign } from "@/db/queries/campaigns";
import { appendMetricSeal, type MetricSeal } from "@/db/queries/metric-seals";
import { recordSealKey } from "@/db/queries/seal-keys";
import { SEAL_FORMAT, type SealBody, type SealKind } from "@/core/seals/seal-format";
import { sealHash } from "@/core/seals/seal-hash";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { SealKeyMissingError, sealSigner } from "./seal-signing-key";

export type SealResult =
  | { outcome: "sealed" | "existing"; seal: MetricSeal }
  | { outcome: "refused"; reason: string }
  | { outcome: "not_found" }
  | { outcome: "not_started"; reason: string };

/** What a seal counts now: the rollups' totals and the campaign's progress through its audience. */
export async function currentSealedValues(db: Db, params: { workspaceId: string; campaignId: string }): Promise<Pick<SealBody, "progress" | "metrics">> {
  const [metricsNow, progress] = await Promise.all([campaignTotals(db, params), campaignProgress(db, { campaignId: params.campaignId })]);
  return { metrics: metricsNow, progress: { audience: progress.audience, sent: progress.sent, suppressed: progress.suppressed, failed: progress.failed } };
}

/**
 * Seals a campaign's metrics as they stand: canonical JSON, SHA-256, chained to the workspace's
 * previous seal, Ed25519-signed. The workspace is the caller's (re-derived from the campaign
 * row, never taken from an event alone). Without a signing key in production the seal is
 * refused, and the refusal is written to the audit log with its reason.
 */
export async function sealCampaignMetrics(
  db: Db,
  params: { workspaceId: string; campaignId: string; kind: SealKind; actor: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<SealResult> {
  const campaign = await getCampaign(db, { workspaceId: params.workspaceId, campaignId: params.campaignId });
  if (!campaign) return { outcome: "not_found" };
  if (!campaign.startedAt) return { outcome: "not_started", reason: `The campaign is ${campaign.status} and has not started: there is nothing to seal yet.` };

  let signer;
  try {
    signer = await sealSigner(env);
  } catch (error) {
    if (!(error instanceof SealKeyMissingError)) throw error;
    await insertAuditEntry(db, {
      workspaceId: campaign.workspaceId,
      actor: params.actor,
      action: "campaign.seal_refused",
      targetType: "campaign",
      targetId: campaign.id,
      details: { kind: params.kind, reason: error.message },
    });
    metrics().seals.inc({ outcome: "refused" });
    logger.warn({ workspaceId: campaign.workspaceId, campaignId: campaign.id, kind: params.kind }, "seals: refused, no signing key");
    return { outcome: "refused", reason: error.message };
  }
  await recordSealKey(db, signer.publicKey);

  const sealedAt = new Date();
  const values = await currentSealedValues(db, { workspaceId: campaign.workspaceId, campaignId: campaign.id });
  const { seal, created } = await appendMetricSeal(db, {
    workspaceId: campaign.workspaceId,
    campaignId: campaign.id,
    kind: params.kind,
    make: async (head) => {
      const body: SealBody = {
        format: SEAL_FORMAT,
        keyId: signer.publicKey.keyId,
        workspaceId: campaign.workspaceId,
        campaignId: campaign.id,
        sequence: (head?.sequence ?? 0) + 1,
        prevHash: head?.hash ?? null,
        kind: params.kind,
        sealedAt: sealedAt.toISOString(),
        window: { startedAt: campaign.startedAt?.toISOString() ?? null, finishedAt: campaign.finishedAt?.toISOString() ?? null },
        ...values,
      };
      const hash = await sealHash(body);
      return { workspaceId: body.workspaceId, campaignId: body.campaignId, sequence: body.sequence, kind: body.kind, body, hash, signature: signer.sign(hash), keyId: body.keyId, sealedAt };
    },
  });
  metrics().seals.inc({ outcome: created ? "sealed" : "existing" });
  logger.info({ workspaceId: seal.workspaceId, campaignId: seal.campaignId, sealId: seal.id, sequence: seal.sequence, kind: seal.kind, created }, "seals: campaign metrics sealed");
  return { outcome: created ? "sealed" : "existing", seal };
}
