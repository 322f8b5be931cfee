/**
 * Carrier-standard opt-out and opt-in words (the set Twilio's Advanced Opt-Out honours by
 * default). Twilio already blocks the sender on STOP; these make Sendline's own records agree.
 */
export const OPT_OUT_KEYWORDS = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"] as const;
export const OPT_IN_KEYWORDS = ["START", "UNSTOP"] as const;

export type SmsKeyword = { kind: "opt-out" | "opt-in"; word: string };

/** The whole message must be the keyword (trimmed, any case): "stop by later" is not an opt-out. */
export function smsKeyword(body: string): SmsKeyword | null {
  const word = body.trim().toUpperCase();
  if ((OPT_OUT_KEYWORDS as readonly string[]).includes(word)) return { kind: "opt-out", word };
  if ((OPT_IN_KEYWORDS as readonly string[]).includes(word)) return { kind: "opt-in", word };
  return null;
}
