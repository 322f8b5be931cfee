/**
 * Retention policies' rules and what each one touches, as plain values (the API, the functions,
 * the dashboard and the metrics all name them the same way).
 *
 * A rule is off while its days are null. Its cutoff is `now − days`, computed from the app's
 * clock and passed to SQL as a parameter (never SQL `now()`), so tests move time for both sides.
 */

/** The policy's rules, as the API names their day counts. */
export const RETENTION_RULES = ["inactiveContactDays", "messageBodyDays", "webhookPayloadDays", "runDataDays"] as const;
export type RetentionRule = (typeof RETENTION_RULES)[number];

/**
 * What a rule touches, one target per table it rewrites or deletes from; a run's `counts` and the
 * dry run's report are keyed by these.
 */
export const RETENTION_TARGETS = {
  anonymisedContacts: "inactiveContactDays",
  messageBodies: "messageBodyDays",
  outboxBodies: "messageBodyDays",
  webhookPayloads: "webhookPayloadDays",
  importErrors: "runDataDays",
  importStaging: "runDataDays",
  campaignChunks: "runDataDays",
  digestItems: "runDataDays",
} as const satisfies Record<string, RetentionRule>;
export type RetentionTarget = keyof typeof RETENTION_TARGETS;
export const RETENTION_TARGET_NAMES = Object.keys(RETENTION_TARGETS) as RetentionTarget[];

/** What each target means, in the words the dashboard and the docs use. */
export const RETENTION_TARGET_LABELS: Record<RetentionTarget, string> = {
  anonymisedContacts: "Contacts anonymised (inactive)",
  messageBodies: "Message bodies dropped",
  outboxBodies: "Outbox copies' bodies dropped",
  webhookPayloads: "Webhook payloads cleared",
  importErrors: "Finished imports' error rows deleted",
  importStaging: "Finished imports' staging rows deleted",
  campaignChunks: "Finished campaigns' chunks deleted",
  digestItems: "Sent digests' items deleted",
};

/** Days a rule may keep data: at least one day, at most a hundred years. */
export const MIN_RETENTION_DAYS = 1;
export const MAX_RETENTION_DAYS = 36_500;

/** Share of a workspace's contacts a policy may anonymise before enabling it needs `confirm: true`. */
export const DEFAULT_CONFIRM_SHARE = 0.1;

export type RetentionDays = Record<RetentionRule, number | null>;

const DAY_MS = 86_400_000;

/** The moment before which a rule's data goes: `now − days`; null for a rule that is off. */
export function retentionCutoff(days: number | null, now: Date): Date | null {
  return days === null ? null : new Date(now.getTime() - days * DAY_MS);
}

/** Every target's cutoff under a policy (null: its rule is off). */
export function retentionCutoffs(days: RetentionDays, now: Date): Record<RetentionTarget, Date | null> {
  return Object.fromEntries(RETENTION_TARGET_NAMES.map((target) => [target, retentionCutoff(days[RETENTION_TARGETS[target]], now)])) as Record<RetentionTarget, Date | null>;
}

/** The share of contacts a policy would anonymise, and whether that needs a confirmation. */
export function anonymiseShare(params: { wouldAnonymise: number; contacts: number; confirmShare: number }): { share: number; needsConfirmation: boolean } {
  const share = params.contacts === 0 ? 0 : params.wouldAnonymise / params.contacts;
  return { share, needsConfirmation: share > params.confirmShare };
}
