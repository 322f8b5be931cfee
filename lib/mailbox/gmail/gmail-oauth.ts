import { GMAIL_READONLY_SCOPE, type GmailConfig } from "./gmail-config";
import { gmailApi, gmailOAuthClient, type GmailTokens } from "./gmail-client";
import { gmailStatus } from "./gmail-failure";
import { type GmailConnectOptions, GMAIL_STATE_TTL_MS, signGmailState } from "./gmail-oauth-state";

/** Google's answer to a consent the user can act on (start again, tick the Gmail box); shown to them as it is. */
export class GmailConsentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GmailConsentError";
  }
}

/**
 * Where to send the user to connect a Gmail mailbox to this workspace: Google's consent page for
 * read-only Gmail access, offline (a refresh token, so the sync runs without them) and with
 * `prompt=consent`, since Google gives a refresh token only on a consent it has just shown.
 */
export function gmailAuthorization(config: GmailConfig, params: { workspaceId: string; options: GmailConnectOptions; now?: Date }): { url: string; expiresAt: Date } {
  // Whole seconds, as the state carries it: the answered expiry is the signed one.
  const expiresAt = new Date(Math.floor(((params.now ?? new Date()).getTime() + GMAIL_STATE_TTL_MS) / 1000) * 1000);
  const state = signGmailState({ workspaceId: params.workspaceId, ...params.options, expiresAt });
  const url = gmailOAuthClient(config).generateAuthUrl({ access_type: "offline", prompt: "consent", scope: [GMAIL_READONLY_SCOPE], state });
  return { url, expiresAt };
}

/**
 * Exchanges the callback's code for tokens (the library's OAuth2 client, at the configured token
 * endpoint) and reads whose mailbox it is (users.getProfile). Refuses, for the user to fix,
 * a code Google no longer takes, a consent without the Gmail scope (Google lets users untick
 * it), and one without a refresh token.
 */
export async function exchangeGmailCode(config: GmailConfig, code: string): Promise<{ address: string; tokens: GmailTokens }> {
  const client = gmailOAuthClient(config);
  let granted;
  try {
    ({ tokens: granted } = await client.getToken(code));
  } catch (error) {
    const status = gmailStatus(error);
    if (status !== undefined && status >= 400 && status < 500) {
      const reason = (error as { response?: { data?: { error?: unknown } } }).response?.data?.error;
      throw new GmailConsentError(`Google did not accept the sign-in (${typeof reason === "string" ? reason : status}): connect Gmail again.`);
    }
    throw error;
  }
  if (!(granted.scope ?? "").split(" ").includes(GMAIL_READONLY_SCOPE)) {
    throw new GmailConsentError("Read access to Gmail was not granted: connect again and leave “View your email messages and settings” ticked.");
  }
  if (!granted.refresh_token) throw new GmailConsentError("Google gave no refresh token, so the mailbox could not be synced later: connect Gmail again.");
  client.setCredentials(granted);
  const profile = await gmailApi(config, client).users.getProfile({ userId: "me" });
  if (!profile.data.emailAddress) throw new Error("gmail: users.getProfile gave no address");
  return {
    address: profile.data.emailAddress.toLowerCase(),
    tokens: { refresh_token: granted.refresh_token, access_token: granted.access_token ?? null, expiry_date: granted.expiry_date ?? null },
  };
}
