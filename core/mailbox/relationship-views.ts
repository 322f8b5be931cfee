/**
 * The relationship lists: `top` (strongest now), `cold` (strong once, silent for longer than
 * usual, strongest as they were first) and `awaiting` (the contact wrote last in a thread within
 * 30 days, strongest first). Each is a keyset page on (its ranking, contact id), descending.
 */
export const RELATIONSHIP_VIEWS = ["top", "cold", "awaiting"] as const;
export type RelationshipView = (typeof RELATIONSHIP_VIEWS)[number];

/** The last row of a page: its ranking value and contact id. */
export type RelationshipPosition = { rank: number; contactId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeRelationshipCursor(position: RelationshipPosition): string {
  return Buffer.from(JSON.stringify([position.rank, position.contactId])).toString("base64url");
}

export function decodeRelationshipCursor(cursor: string): RelationshipPosition | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [rank, contactId] = value as [unknown, unknown];
    if (typeof rank !== "number" || !Number.isFinite(rank) || typeof contactId !== "string" || !UUID.test(contactId)) return null;
    return { rank, contactId };
  } catch {
    return null;
  }
}
