import { randomBytes } from "node:crypto";
import { z } from "zod";
import { type TrackingSecret, trackingSecret } from "@/lib/config/tracking-secret";
import { signPayload, verifiedPayload } from "@/lib/security/signed-token";

/**
 * The OAuth `state` of a Gmail connection: which workspace asked, with which options, until
 * when. The callback is reached by the user's browser, not with an API key, so this signature
 * (a key derived from TRACKING_SECRET for this purpose alone) is what authorises it to create a
 * connection in that workspace; the expiry is inside the signed bytes, and the nonce makes every
 * consent URL distinct.
 */
const PURPOSE = "sendline/gmail-oauth-state/v1";
/** Long enough to pick an account and read the consent screen, short enough that a leaked URL soon dies. */
export const GMAIL_STATE_TTL_MS = 15 * 60_000;

const stateSchema = z.object({
  v: z.literal(1),
  workspaceId: z.uuid(),
  label: z.string().nullable(),
  storeBodies: z.boolean(),
  historyDays: z.number().int().positive(),
  expiresAt: z.number().int(),
  nonce: z.string(),
});

export type GmailConnectOptions = { label: string | null; storeBodies: boolean; historyDays: number };
export type GmailState = GmailConnectOptions & { workspaceId: string; expiresAt: Date };
export type GmailStateCheck = { ok: true; state: GmailState } | { ok: false; reason: "invalid" | "expired" };

export function signGmailState(state: GmailState, secret: TrackingSecret = trackingSecret()): string {
  const payload = {
    v: 1,
    workspaceId: state.workspaceId,
    label: state.label,
    storeBodies: state.storeBodies,
    historyDays: state.historyDays,
    expiresAt: Math.floor(state.expiresAt.getTime() / 1000),
    nonce: randomBytes(9).toString("base64url"),
  };
  return signPayload(Buffer.from(JSON.stringify(payload)), PURPOSE, secret);
}

/** The signature first (the fallback key too while rotating), then the payload's shape, then the expiry. */
export function verifyGmailState(token: string, now: Date = new Date(), secret: TrackingSecret = trackingSecret()): GmailStateCheck {
  const payload = verifiedPayload(token, PURPOSE, secret);
  if (!payload) return { ok: false, reason: "invalid" };
  let parsed;
  try {
    parsed = stateSchema.safeParse(JSON.parse(payload.toString("utf8")));
  } catch {
    return { ok: false, reason: "invalid" };
  }
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { workspaceId, label, storeBodies, historyDays, expiresAt } = parsed.data;
  if (expiresAt * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, state: { workspaceId, label, storeBodies, historyDays, expiresAt: new Date(expiresAt * 1000) } };
}
