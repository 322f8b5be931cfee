/**
 * What a contact can do to its inbox messages, one or all at once. Reading implies seeing;
 * archiving is independent of reading (an archived message keeps its read state, and leaves
 * the unread count).
 */
export const INBOX_ACTIONS = ["seen", "read", "unread", "archive", "unarchive"] as const;
export type InboxAction = (typeof INBOX_ACTIONS)[number];

/** The feed's views: the inbox (unarchived), only its unread messages, or the archive. */
export const INBOX_VIEWS = ["all", "unread", "archived"] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

/** Unread and unseen messages outside the archive: the badge and the "new" dot. */
export type InboxCounts = { unread: number; unseen: number };
