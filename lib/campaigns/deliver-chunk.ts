import { createHash } from "node:crypto";
import { E164 } from "@/lib/notifications/notification-request";
import type { Db } from "@/db";
import { type Campaign, getCampaign } from "@/db/queries/campaigns";
import {
  type ChunkRecipient,
  claimCampaignPart,
  claimedCampaignMessages,
  ensureCampaignMessages,
  loadPendingChunkRecipients,
  type PartOutcome,
  recordPartOutcomes,
  settleRecipients,
  suppressedHashes,
} from "@/db/queries/chunk-recipients";
import { allChunksDone, completeChunk } from "@/db/queries/campaign-recipients";
import { addressHashes } from "@/core/messages/address-hash";
import { suppressionSalt } from "@/db/queries/suppressions";
import { publicErrorMessage } from "@/lib/errors/public-error-message";
import { keyAlreadyUsed, ProviderError } from "@/lib/providers/errors";
import type { EmailMessage } from "@/lib/providers/email/email-provider";
import { countSegments } from "@/lib/providers/sms/count-segments";
import type { Providers } from "@/lib/notifications/deliver-message";
import type { CompiledTemplate } from "@/lib/templates/compile-template";
import { TemplateError } from "@/lib/templates/template-error";
import type { CampaignSettings } from "./campaign-settings";
import { campaignMessageVariables } from "./campaign-template-variables";
import { releaseStoppedCampaignCredits } from "./release-stopped-campaign-credits";
import { renderCampaignEmail } from "./render-campaign-email";
import { abVariantResolver, type CampaignContent, campaignContent } from "./campaign-content";
import { takeSendSlot } from "@/lib/providers/take-send-slot";
import { metrics } from "@/lib/observability/metrics";
import { recordEngagement } from "@/lib/analytics/record-engagement";
import { sentFact } from "@/lib/analytics/sent-fact";
import { preferenceBlocks } from "@/lib/preferences/preference-blocks";

type Recipient = ChunkRecipient & { address: string };
/** One provider call: new (`claimed` false, its key derived from its messages), or an earlier one again. */
type EmailPart = { recipients: Recipient[]; sendKey: string | null; claimed: boolean };

export type ChunkResult = {
  /** done: every recipient has an outcome; halted: the campaign is paused or no longer sending. */
  state: "done" | "halted";
  sent: number;
  suppressed: number;
  failed: number;
  /** True for the one execution that marked the chunk done. */
  completed: boolean;
  /** Every chunk of the campaign is done: this run reports it, and the campaign is finalized. */
  campaignDone: boolean;
};


/** Why a recipient gets no message, checked at send time (invariant 6), or null to send. */
function skipReason(recipient: ChunkRecipient, channel: Campaign["channel"], suppressed: Set<string>, preferences: Map<string, string>, salt: string): string | null {
  const contact = recipient.contact;
  if (!contact) return "contact erased";
  if (contact.erasureRequested) return "contact erasure requested";
  if (contact.status === "unsubscribed") return "unsubscribed";
  const address = channel === "email" ? contact.email : contact.phone;
  if (!address) return channel === "email" ? "no email address" : "no phone number";
  if (addressHashes(channel, address, salt).some((hash) => suppressed.has(hash))) return "address is on the suppression list";
  return preferences.get(recipient.contactId) ?? null;
}

/**
 * Sends one chunk of a campaign. Safe to run any number of times: only recipients still pending
 * are loaded; each provider call covers one part whose idempotency key is derived from its
 * messages and kept on them when they are claimed, and its outcome is recorded in one
 * transaction — so a retry after a crash either finds the part recorded or sends that same call
 * again under the same key, which the provider answers without sending again. A part is claimed (claimCampaignPart) right before its provider
 * call, so a pause or cancel stops every part not yet claimed, and a cancelled campaign's credits
 * are released only once its claimed parts are recorded. Rate-limit errors propagate (the
 * function retries after the provider's delay) and never fail recipients.
 */
export async function deliverChunk(
  db: Db,
  providers: Providers,
  settings: CampaignSettings,
  params: { workspaceId: string; campaignId: string; chunk: number; providerAccount: string; baseUrl: string },
): Promise<ChunkResult> {
  const result = await sendPending(db, providers, settings, params);
  // A cancel that came while one of this run's parts was on its way left the credits for the
  // last such run to release, now that the part is recorded (releaseStoppedCampaignCredits).
  await releaseStoppedCampaignCredits(db, params);
  return result;
}

async function sendPending(
  db: Db,
  providers: Providers,
  settings: CampaignSettings,
  params: { workspaceId: string; campaignId: string; chunk: number; providerAccount: string; baseUrl: string },
): Promise<ChunkResult> {
  const result: ChunkResult = { state: "done", sent: 0, suppressed: 0, failed: 0, completed: false, campaignDone: false };
  const campaign = await getCampaign(db, params);
  if (!campaign) return { ...result, state: "halted" };
  const ids = { workspaceId: campaign.workspaceId, campaignId: campaign.id };
  const recipients = await loadPendingChunkRecipients(db, { ...params });
  // Messages an earlier attempt claimed for a provider call whose answer never came (a 429, an
  // outage, a lost answer, a crash): the call may have gone through, so each goes again as that
  // very call — its key, its messages — whatever changed since; an unsubscribe meanwhile cannot
  // make the provider send the others twice. They go even after a pause or cancel: they were
  // committed before it, and only once they are recorded can a cancelled campaign's credits be
  // released (releaseStoppedCampaignCredits). Nothing else moves once the campaign stopped.
  const inFlight = await claimedCampaignMessages(db, { ...ids, contactIds: recipients.map((r) => r.contactId) });
  const stopped = campaign.status !== "sending";
  if (stopped && inFlight.size === 0) return { ...result, state: "halted" };
  const retried: Recipient[] = [];
  const fresh: ChunkRecipient[] = [];
  for (const recipient of recipients) {
    const claimed = inFlight.get(recipient.contactId);
    if (claimed) retried.push({ ...recipient, address: claimed.recipient });
    else if (!stopped) fresh.push(recipient);
  }

  const salt = await suppressionSalt(db, { workspaceId: campaign.workspaceId });
  const hashes = fresh.flatMap((r) => {
    const address = campaign.channel === "email" ? r.contact?.email : r.contact?.phone;
    return address ? addressHashes(campaign.channel, address, salt) : [];
  });
  const suppressed = await suppressedHashes(db, { workspaceId: campaign.workspaceId, channel: campaign.channel, hashes });
  // Preferences for the whole chunk at once, like the suppression list: never a query per recipient.
  const preferences = await preferenceBlocks(db, {
    workspaceId: campaign.workspaceId,
    channel: campaign.channel,
    category: campaign.category,
    contactIds: fresh.flatMap((r) => (r.contact ? [r.contactId] : [])),
  });
  const skipped: { contactId: string; status: "suppressed" | "failed"; reason: string }[] = [];
  const sendable: Recipient[] = [];
  for (const recipient of fresh) {
    const reason = skipReason(recipient, campaign.channel, suppressed, preferences, salt);
    if (reason) {
      skipped.push({ contactId: recipient.contactId, status: "suppressed", reason });
      if (reason === preferences.get(recipient.contactId)) metrics().preferenceBlocks.inc({ channel: campaign.channel, path: "campaign" });
    }
    else if (campaign.channel === "sms" && !E164.test(recipient.contact!.phone!)) {
      skipped.push({ contactId: recipient.contactId, status: "failed", reason: "phone is not in E.164 form" });
    } else {
      sendable.push({ ...recipient, address: (campaign.channel === "email" ? recipient.contact!.email : recipient.contact!.phone)! });
    }
  }
  await settleRecipients(db, { campaignId: campaign.id, outcomes: skipped });
  for (const s of skipped) result[s.status]++;

  // What each recipient is sent: the campaign's content, or its A/B variant's (the winner's for
  // the rest of the audience), one compiled template per variant in the chunk.
  const variantOf = await abVariantResolver(db, campaign, [...retried, ...sendable]);
  const contents = new Map<number, CampaignContent>();
  for (const key of new Set([...retried, ...sendable].map(variantOf))) contents.set(key, await campaignContent(db, campaign, key));
  const contentOf = (recipient: ChunkRecipient) => contents.get(variantOf(recipient))!;
  const refs = new Map<string, { messageId: string }>([...inFlight].map(([contactId, claimed]) => [contactId, { messageId: claimed.messageId }]));
  for (const [key, content] of contents) {
    const created = await ensureCampaignMessages(db, {
      ...ids,
      channel: campaign.channel,
      templateId: content.templateId,
      templateVersion: content.templateVersion,
      category: campaign.category,
      recipients: sendable.filter((r) => variantOf(r) === key),
    });
    for (const [contactId, ref] of created) refs.set(contactId, ref);
  }
  const unrenderable = [...retried, ...sendable].filter((r) => !contentOf(r).compiled);
  if (unrenderable.length > 0) {
    const outcomes = unrenderable.map((r) => ({ contactId: r.contactId, messageId: refs.get(r.contactId)!.messageId, ok: false as const, error: contentOf(r).error! }));
    await recordOutcomes(db, { ...ids, provider: "none", outcomes });
    result.failed += outcomes.length;
  }
  const renderable = (recipients: Recipient[]) => recipients.filter((r) => contentOf(r).compiled);
  if (campaign.channel === "email") {
    const parts: EmailPart[] = [];
    // Each earlier call again, in its own order; messages claimed before keys were kept form one.
    const calls = new Map<string, Recipient[]>();
    for (const recipient of renderable(retried)) {
      const key = inFlight.get(recipient.contactId)!.sendKey ?? "";
      calls.set(key, [...(calls.get(key) ?? []), recipient]);
    }
    for (const [key, part] of calls) parts.push({ recipients: part, sendKey: key || null, claimed: true });
    const fresh = renderable(sendable);
    for (let start = 0; start < fresh.length; start += settings.emailBatchSize) {
      parts.push({ recipients: fresh.slice(start, start + settings.emailBatchSize), sendKey: null, claimed: false });
    }
    const halted = await forEachPart(parts, settings.emailPartsInFlight, async (part) => {
      const { outcomes, halted, provider } = await sendEmailPart(db, providers, settings, {
        campaign,
        part,
        refs,
        contentOf,
        baseUrl: params.baseUrl,
        account: params.providerAccount,
      });
      await recordOutcomes(db, { ...ids, provider: provider ?? providers.email.name, outcomes });
      for (const o of outcomes) result[o.ok ? "sent" : "failed"]++;
      return !halted;
    });
    if (halted) return { ...result, state: "halted" };
  } else {
    const smsRetried = renderable(retried);
    for (const [index, recipient] of [...smsRetried, ...renderable(sendable)].entries()) {
      const ref = refs.get(recipient.contactId)!;
      const content = contentOf(recipient);
      const outcome = await sendSms(db, providers, settings, {
        campaign,
        recipient,
        ref,
        compiled: content.compiled!,
        from: content.from,
        account: params.providerAccount,
        alreadyClaimed: index < smsRetried.length,
      });
      if (!outcome) return { ...result, state: "halted" };
      await recordOutcomes(db, { ...ids, provider: providers.sms.name, outcomes: [outcome] });
      result[outcome.ok ? "sent" : "failed"]++;
    }
  }
  if (stopped) return { ...result, state: "halted" };
  result.completed = await completeChunk(db, { campaignId: campaign.id, chunk: params.chunk });
  // Every execution that finds the chunk done asks (a retry after a lost report asks again).
  result.campaignDone = await allChunksDone(db, { campaignId: campaign.id });
  return result;
}

/**
 * Records a part's outcomes and appends a "sent" fact for each message the provider accepted, in
 * one transaction: a retry after a crash finds either both or neither (and the facts' keys
 * count each message once whatever runs again).
 */
async function recordOutcomes(db: Db, params: Parameters<typeof recordPartOutcomes>[1]): Promise<void> {
  const accepted = params.outcomes.filter((outcome) => outcome.ok);
  if (accepted.length === 0) return recordPartOutcomes(db, params);
  const at = new Date();
  await db.transaction(async (tx) => {
    await recordPartOutcomes(tx, params);
    await recordEngagement(tx, accepted.map((outcome) => sentFact(outcome.messageId, at)));
  });
}

/**
 * Runs `send` for every part, `inFlight` at a time, in order of starting. `send` answers false
 * when the campaign stopped: no part starts after that, nor after a part threw; parts already
 * started finish (their outcomes are recorded) before the error is rethrown or the halt returned.
 */
async function forEachPart<T>(parts: T[], inFlight: number, send: (part: T) => Promise<boolean>): Promise<boolean> {
  let next = 0;
  let halted = false;
  let failure: { error: unknown } | null = null;
  const lane = async () => {
    while (!halted && !failure && next < parts.length) {
      const part = parts[next++]!;
      try {
        if (!(await send(part))) halted = true;
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(inFlight, parts.length)) }, lane));
  if (failure) throw (failure as { error: unknown }).error;
  return halted;
}

async function renderOrFail<T>(work: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TemplateError) return { error: publicErrorMessage(error) };
    throw error;
  }
}

async function sendEmailPart(
  db: Db,
  providers: Providers,
  settings: CampaignSettings,
  params: {
    campaign: Campaign;
    part: EmailPart;
    refs: Map<string, { messageId: string }>;
    contentOf: (recipient: ChunkRecipient) => CampaignContent;
    baseUrl: string;
    account: string;
  },
): Promise<{ outcomes: PartOutcome[]; halted: boolean; provider?: string }> {
  const { campaign, part } = params;
  const outcomes: PartOutcome[] = [];
  const batch: { contactId: string; message: EmailMessage }[] = [];
  for (const recipient of part.recipients) {
    const messageId = params.refs.get(recipient.contactId)!.messageId;
    if (!recipient.contact) {
      // Erased since an earlier attempt claimed it: not sent again, whatever that attempt did.
      outcomes.push({ contactId: recipient.contactId, messageId, ok: false, error: "contact erased" });
      continue;
    }
    const content = params.contentOf(recipient);
    const rendered = await renderOrFail(() =>
      renderCampaignEmail(content.compiled!, { messageId, baseUrl: params.baseUrl, contact: { id: recipient.contactId, ...recipient.contact! } }),
    );
    if ("error" in rendered) {
      outcomes.push({ contactId: recipient.contactId, messageId, ok: false, error: rendered.error });
      continue;
    }
    batch.push({
      contactId: recipient.contactId,
      message: {
        workspaceId: campaign.workspaceId,
        messageId,
        campaignId: campaign.id,
        from: content.from!,
        to: recipient.address,
        replyTo: campaign.replyTo,
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
        headers: rendered.headers,
      },
    });
  }
  if (batch.length === 0) return { outcomes, halted: false };
  // A new call's key is derived from its messages; a repeated call keeps the key it was claimed with.
  const idempotencyKey =
    part.sendKey ??
    `campaign-${campaign.id}-${createHash("sha256")
      .update(batch.map((b) => b.message.messageId).join(","))
      .digest("hex")
      .slice(0, 32)}`;
  await takeSendSlot(db, { account: params.account, perSecond: settings.emailRequestsPerSecond });
  // After the wait for a slot, which can be long: a pause or cancel meanwhile stops the part here.
  const messageIds = batch.map((b) => b.message.messageId);
  if (!part.claimed && !(await claimCampaignPart(db, { workspaceId: campaign.workspaceId, campaignId: campaign.id, messageIds, sendKey: idempotencyKey }))) {
    return { outcomes, halted: true };
  }
  let provider: string | undefined;
  try {
    const results = await providers.email.sendBatch(
      batch.map((b) => b.message),
      { idempotencyKey },
    );
    results.forEach((r, i) => {
      const { contactId, message } = batch[i]!;
      if (r.ok) provider = r.provider;
      outcomes.push(
        r.ok
          ? { contactId, messageId: message.messageId, ok: true, providerMessageId: r.providerMessageId, subject: message.subject }
          : { contactId, messageId: message.messageId, ok: false, error: r.error },
      );
    });
  } catch (error) {
    if (error instanceof ProviderError && keyAlreadyUsed(error)) {
      // A repeated call whose payload changed since its first (lost) answer: that one went out.
      for (const { contactId, message } of batch) outcomes.push({ contactId, messageId: message.messageId, ok: true, providerMessageId: null, subject: message.subject });
      return { outcomes, halted: false, provider: error.details.provider };
    }
    // A whole call the provider refuses for good (e.g. an unverified sender) fails its recipients;
    // anything else (rate limit, outage, timeout) is retried with the part unchanged.
    if (!(error instanceof ProviderError) || error.kind !== "permanent") throw error;
    const reason = publicErrorMessage(error, { where: "send-chunk", campaignId: campaign.id });
    for (const { contactId, message } of batch) outcomes.push({ contactId, messageId: message.messageId, ok: false, error: reason });
  }
  return { outcomes, halted: false, provider };
}

async function sendSms(
  db: Db,
  providers: Providers,
  settings: CampaignSettings,
  params: {
    campaign: Campaign;
    recipient: ChunkRecipient & { address: string };
    ref: { messageId: string };
    compiled: CompiledTemplate;
    from: string | null;
    account: string;
    alreadyClaimed: boolean;
  },
): Promise<PartOutcome | null> {
  const { campaign, recipient, ref } = params;
  const rendered = await renderOrFail(async () => {
    const sms = await params.compiled.render(campaignMessageVariables("sms", { messageId: ref.messageId, contact: { id: recipient.contactId, ...recipient.contact! } }));
    return sms.text;
  });
  if (typeof rendered !== "string") return { contactId: recipient.contactId, messageId: ref.messageId, ok: false, error: rendered.error };
  // Carriers meter throughput in segments, so a three-segment message takes three slots.
  await takeSendSlot(db, { account: params.account, perSecond: settings.smsSegmentsPerSecond, cost: countSegments(rendered).segments });
  const idempotencyKey = `msg_${ref.messageId}`;
  if (!params.alreadyClaimed && !(await claimCampaignPart(db, { workspaceId: campaign.workspaceId, campaignId: campaign.id, messageIds: [ref.messageId], sendKey: idempotencyKey }))) {
    return null;
  }
  try {
    const sent = await providers.sms.send(
      { workspaceId: campaign.workspaceId, messageId: ref.messageId, campaignId: campaign.id, from: params.from, to: recipient.address, body: rendered },
      { idempotencyKey },
    );
    return { contactId: recipient.contactId, messageId: ref.messageId, ok: true, providerMessageId: sent.providerMessageId, subject: null };
  } catch (error) {
    if (!(error instanceof ProviderError) || error.kind !== "permanent") throw error;
    return { contactId: recipient.contactId, messageId: ref.messageId, ok: false, error: publicErrorMessage(error, { where: "send-chunk", campaignId: campaign.id }) };
  }
}
