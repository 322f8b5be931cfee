import type { ContactRelationship, RelationshipListRow } from "@/db/queries/contact-relationships";

/** A relationship as the API shows it: the figures, what is awaited, and the last summary. */
export function relationshipView(row: ContactRelationship, contact?: Pick<RelationshipListRow, "email" | "firstName" | "lastName">) {
  return {
    contactId: row.contactId,
    ...(contact ? { contact: { email: contact.email, firstName: contact.firstName, lastName: contact.lastName } } : {}),
    strength: row.strength,
    peakStrength: row.peakStrength,
    goingCold: row.goingCold,
    messages: { sent: row.messagesSent, received: row.messagesReceived, sentLast90Days: row.sentLast90Days, receivedLast90Days: row.receivedLast90Days },
    firstInteractionAt: row.firstInteractionAt.toISOString(),
    lastInteractionAt: row.lastInteractionAt.toISOString(),
    usualGapDays: row.usualGapDays === null ? null : Math.round(row.usualGapDays * 10) / 10,
    reciprocity: Math.round(row.reciprocity * 1000) / 1000,
    medianReplySeconds: { you: row.ownerReplySeconds, them: row.contactReplySeconds },
    awaitingReply: row.awaitingThreads > 0 ? { threads: row.awaitingThreads, newestSubject: row.awaitingSubject, newestAt: row.awaitingSince?.toISOString() ?? null } : null,
    computedAt: row.computedAt.toISOString(),
    summary:
      row.summary && row.nextAction && row.summarySource && row.summarisedAt
        ? { text: row.summary, nextAction: row.nextAction, source: row.summarySource, note: row.summaryNote, recommendationId: row.recommendationId, summarisedAt: row.summarisedAt.toISOString() }
        : null,
  };
}
