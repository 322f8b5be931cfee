import type { SummariseResult } from "@/lib/mailbox/summarise-relationship";

/** Client-safe: what the Summarise button shows beside it (the server side is contacts/[id]/actions.ts). */
export type SummariseActionState = { ok: boolean; message: string | null };
export const IDLE_SUMMARISE_ACTION: SummariseActionState = { ok: true, message: null };

/** The outcome in the operator's words; the summary itself appears in the section above. */
export function summariseMessage(result: SummariseResult): SummariseActionState {
  if (result.ok) {
    if (result.cached) return { ok: true, message: "Nothing changed since the last summary: it is shown as it was." };
    return { ok: true, message: result.relationship.summarySource === "openai" ? "Summarised by OpenAI." : "Summarised by the heuristics." };
  }
  if (result.status === 404) return { ok: false, message: "This contact no longer exists in this workspace." };
  // No mailbox history (409) or the model's per-minute limit (429): the message says what to do.
  return { ok: false, message: `${result.message}.` };
}
