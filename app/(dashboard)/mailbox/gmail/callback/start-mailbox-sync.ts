/**
 * Starts the sync of a Gmail connection the callback has just created or reconnected. The sync
 * functions and their `mailbox/sync.requested` event live with the IMAP work, which is built
 * beside this branch: until the two meet, this deliberately sends nothing, so a new Gmail
 * connection waits for the scheduled sync. Wiring it is one `inngest.send` of that event with
 * mode `backfill` and an event id per connection (a reconnect resumes from the stored position).
 */
export async function startMailboxSync(_ids: { workspaceId: string; connectionId: string }): Promise<void> {
  return;
}
