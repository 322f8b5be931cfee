/** Client-safe: the outcome an erasure button shows (the server side is erasures/actions.ts). */
export type ErasureActionState = { ok: boolean; message: string | null };
export const IDLE_ERASURE_ACTION: ErasureActionState = { ok: true, message: null };

/** What an erasure button does: erase a contact, undo an erasure, or mail its recovery link again. */
export const ERASURE_ACTIONS = ["erase", "restore", "resend"] as const;
export type ErasureActionKind = (typeof ERASURE_ACTIONS)[number];
