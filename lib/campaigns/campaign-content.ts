import type { Db } from "@/db";
import type { Campaign } from "@/db/queries/campaigns";
import type { ChunkRecipient } from "@/db/queries/chunk-recipients";
import { getTemplate } from "@/db/queries/templates";
import { getWorkspace } from "@/db/queries/workspaces";
import { abDecisionAt } from "@/core/campaigns/ab-test";
import { publicErrorMessage } from "@/lib/errors/public-error-message";
import { defaultEmailFrom } from "@/lib/notifications/default-email-from";
import { compileTemplate, type CompiledTemplate } from "@/lib/templates/compile-template";
import { TemplateError } from "@/lib/templates/template-error";
import { settleAbWinner } from "./settle-ab-winner";

/** The campaign's own content (no A/B test, or none applies). */
export const OWN_CONTENT = -1;

/**
 * What a group of a campaign's recipients is sent: the template (compiled, or why it cannot be),
 * its id and version for the messages, and the sender. An A/B variant overrides the template,
 * the subject (rendered like the template's own, variables included) and the sender.
 */
export type CampaignContent = {
  templateId: string;
  templateVersion: number;
  compiled: CompiledTemplate | null;
  error: string | null;
  /** Email: always an address; SMS: null for the provider's default sender. */
  from: string | null;
};

/** The content for `variant` (an index into the campaign's A/B variants, or OWN_CONTENT). */
export async function campaignContent(db: Db, campaign: Campaign, variant: number): Promise<CampaignContent> {
  const override = variant === OWN_CONTENT ? undefined : campaign.abTest?.variants[variant];
  const templateId = override?.templateId ?? campaign.templateId;
  const template = await getTemplate(db, { workspaceId: campaign.workspaceId, templateId });
  let compiled: CompiledTemplate | null = null;
  let error: string | null = template ? null : override?.templateId ? "the A/B variant's template no longer exists" : "the campaign's template no longer exists";
  if (template) {
    try {
      compiled = compileTemplate(override?.subject !== undefined ? { ...template, subject: override.subject } : template);
    } catch (thrown) {
      if (!(thrown instanceof TemplateError)) throw thrown;
      error = publicErrorMessage(thrown);
    }
  }
  let from = override?.from ?? campaign.fromAddress;
  if (campaign.channel === "email" && !from) from = (await getWorkspace(db, { workspaceId: campaign.workspaceId }))?.emailFrom ?? defaultEmailFrom();
  return { templateId, templateVersion: template?.version ?? 0, compiled, error, from: from ?? null };
}

/**
 * Which content each recipient of a chunk gets: without a test, the campaign's; in the test
 * sample, its variant; the rest of an A/B campaign's audience, the winner — settled here if no
 * run recorded it yet (the same one whoever records it). The rest's chunks are released only once
 * the window ended, so one that runs earlier is a fault: it throws and is retried.
 */
export async function abVariantResolver(db: Db, campaign: Campaign, recipients: ChunkRecipient[], now: Date = new Date()): Promise<(recipient: ChunkRecipient) => number> {
  const test = campaign.abTest;
  if (!test) return () => OWN_CONTENT;
  let winner = campaign.abWinner;
  if (winner === null && recipients.some((r) => r.variant === null)) {
    if (campaign.startedAt && now < abDecisionAt(campaign.startedAt, test)) {
      throw new Error(`campaign ${campaign.id}: the rest of the audience ran before the A/B test's winner was picked`);
    }
    winner = (await settleAbWinner(db, campaign, "window", now))!.winner;
  }
  return (recipient) => recipient.variant ?? winner ?? OWN_CONTENT;
}
