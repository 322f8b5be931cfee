/** Client-safe: the outcome a retry button shows (the server side is dead-letter-retry.ts). */
export type DeadLetterRetryState = { ok: boolean; message: string | null };
export const IDLE_DEAD_LETTER_RETRY: DeadLetterRetryState = { ok: true, message: null };
