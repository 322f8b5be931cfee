/**
 * Opaque keyset cursors for "newest first" lists ordered by (timestamp, id). The cursor is
 * the last row's position; the next page is everything strictly before it.
 */
export type Position = { at: Date; id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.at.toISOString(), position.id])).toString("base64url");
}

export function decodeCursor(cursor: string): Position | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [at, id] = value as [unknown, unknown];
    // Every paged table is keyed by uuid; anything else is forged and would only make the query fail.
    if (typeof at !== "string" || typeof id !== "string" || !UUID.test(id)) return null;
    const date = new Date(at);
    return Number.isNaN(date.getTime()) ? null : { at: date, id };
  } catch {
    return null;
  }
}

/** Takes limit + 1 rows and returns the page plus the cursor of the next one, if any. */
export function page<T>(rows: T[], limit: number, positionOf: (row: T) => Position): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null };
}

/**
 * Cursors for lists in id order (no timestamp to order by, e.g. a campaign's failed
 * recipients, read along the table's primary key): the last row's id. Opaque like the others.
 */
export function encodeIdCursor(id: string): string {
  return Buffer.from(JSON.stringify([id])).toString("base64url");
}

export function decodeIdCursor(cursor: string): string | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    return Array.isArray(value) && value.length === 1 && typeof value[0] === "string" && UUID.test(value[0]) ? value[0] : null;
  } catch {
    return null;
  }
}
