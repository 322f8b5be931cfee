import type { Db } from "@/db";
import { getContact } from "@/db/queries/contacts";
import { type ContactRelationship, getContactRelationship, recentRelationshipMessages } from "@/db/queries/contact-relationships";
import type { RecommendationBasis } from "@/core/ai/recommendation-kinds";
import { messageExcerpt, RELATIONSHIP_SUMMARY_MESSAGES, relationshipFacts } from "@/core/mailbox/relationship-facts";

export type RelationshipBasis = Extract<RecommendationBasis, { kind: "relationship-summary" }>;

export type RelationshipBasisResult =
  | { ok: true; basis: RelationshipBasis; relationship: ContactRelationship }
  | { ok: false; status: 404; what: string }
  | { ok: false; status: 409; message: string };

/** What to say when a contact has no relationship to summarise. */
export const NO_MAILBOX_HISTORY = "No mailbox history with this contact: import a mailbox (or wait for its analysis) first";

/**
 * What a relationship summary is derived from, and all the model is shown: the relationship's
 * figures as of its last computation and the subjects and snippets (≤ 200 characters) of the
 * last 10 non-automated messages naming the contact up to then — no body, no header, and every
 * address in the text replaced, so no one else's address goes out. The contact is named by id.
 */
export async function relationshipBasis(db: Db, params: { workspaceId: string; contactId: string }): Promise<RelationshipBasisResult> {
  const contact = await getContact(db, params);
  if (!contact) return { ok: false, status: 404, what: "Contact" };
  const relationship = contact.email ? await getContactRelationship(db, params) : undefined;
  if (!relationship || !contact.email) return { ok: false, status: 409, message: NO_MAILBOX_HISTORY };
  const messages = await recentRelationshipMessages(db, { workspaceId: params.workspaceId, email: contact.email, until: relationship.computedAt, limit: RELATIONSHIP_SUMMARY_MESSAGES });
  return {
    ok: true,
    relationship,
    basis: {
      kind: "relationship-summary",
      target: { type: "contact", id: contact.id },
      asOf: relationship.computedAt.toISOString().slice(0, 10),
      relationship: relationshipFacts(relationship),
      messages: messages.map(messageExcerpt),
    },
  };
}
