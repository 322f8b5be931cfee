/**
 * Custom contact events (`POST /api/v1/events`): what a name and an id may look like. Names are
 * matched by journeys (`purchase`, `cart.abandoned`, `app:signup`), so they stay short, plain
 * and case-sensitive; ids are the caller's own and only need to be unique per workspace.
 */
export const CONTACT_EVENT_NAME = /^[A-Za-z0-9_.:-]{1,100}$/;
export const CONTACT_EVENT_NAME_RULE = "1–100 letters, digits, `_`, `.`, `:` or `-`";

export const CONTACT_EVENT_ID_MAX_CHARS = 200;
/** Printable text only: the id ends up in the Inngest event id and in logs. */
export const CONTACT_EVENT_ID = /^[\x21-\x7e]{1,200}$/;
export const CONTACT_EVENT_ID_RULE = "1–200 printable ASCII characters, no spaces";

/** Properties are stored with the event and read by journeys; a few KiB is plenty for an order or a page view. */
export const CONTACT_EVENT_PROPERTIES_MAX_BYTES = 8 * 1024;
export const CONTACT_EVENT_PROPERTIES_MAX_DEPTH = 8;

/** How many events one batch request may carry. */
export const CONTACT_EVENTS_PER_BATCH = 100;

/**
 * The Inngest event id for a recorded contact event: one per (workspace, caller's id), so every
 * repeat of a request re-sends the same event and the server starts consumers once.
 */
export const contactEventInngestId = (workspaceId: string, eventId: string) => `contact-event-${workspaceId}-${eventId}`;

/**
 * Opaque cursors for event lists, newest first by the row's serial id (the order events were
 * received). Same base64url shape as the other cursors, with a positive integer inside.
 */
export function encodeEventCursor(seq: number): string {
  return Buffer.from(JSON.stringify([seq])).toString("base64url");
}

export function decodeEventCursor(cursor: string): number | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    return Array.isArray(value) && value.length === 1 && Number.isSafeInteger(value[0]) && (value[0] as number) > 0 ? (value[0] as number) : null;
  } catch {
    return null;
  }
}
