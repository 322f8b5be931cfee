import { z } from "zod";
import { messageAttemptOutcome } from "@/db/schema";
import type { DeadLetter } from "@/db/queries/dead-letters";
import type { MessageAttempt } from "@/db/queries/message-attempts";
import { messageViewSchema } from "@/lib/messages/message-request";
import { messageView } from "@/lib/messages/message-view";

const timestamp = z.iso.datetime();

/** A dead letter: the message (with its last error) plus when it gave up, how often it was tried and retried. */
export const deadLetterSchema = messageViewSchema
  .extend({
    deadLetteredAt: timestamp,
    attemptCount: z.number().int().meta({ description: "Provider attempts made for it, across every retry" }),
    retryCount: z.number().int().meta({ description: "How many times it was taken out of the dead letters before" }),
  })
  .meta({ id: "DeadLetter" });

export const messageAttemptSchema = z
  .object({
    at: timestamp,
    provider: z.string().nullable(),
    outcome: z.enum(messageAttemptOutcome.enumValues),
    error: z.string().nullable(),
    attempt: z.number().int().nullable().meta({ description: "The function run's attempt (1 = first try)" }),
  })
  .meta({ id: "MessageAttempt" });

export const deadLetterDetailSchema = deadLetterSchema.extend({ attempts: z.array(messageAttemptSchema) }).meta({ id: "DeadLetterDetail" });

export function deadLetterView(row: DeadLetter) {
  return { ...messageView(row), deadLetteredAt: row.deadLetteredAt, attemptCount: row.attemptCount, retryCount: row.retryCount };
}

export function messageAttemptView(attempt: MessageAttempt) {
  return { at: attempt.at, provider: attempt.provider, outcome: attempt.outcome, error: attempt.error, attempt: attempt.attempt };
}
