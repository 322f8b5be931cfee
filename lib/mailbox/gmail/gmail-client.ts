import { auth, gmail, type gmail_v1 } from "@googleapis/gmail";
import type { GmailConfig } from "./gmail-config";

/** The library's OAuth2 client (google-auth-library, as @googleapis/gmail bundles it). */
export type GmailOAuthClient = InstanceType<typeof auth.OAuth2>;
export type GmailApi = gmail_v1.Gmail;
/** What a connection stores, sealed: enough to refresh without the user. */
export type GmailTokens = { refresh_token: string; access_token: string | null; expiry_date: number | null };

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The OAuth2 client for our Google client id, pointed at the configured endpoints. It refreshes
 * an access token that is about to expire before a call, once (concurrent calls share that
 * refresh). `forceRefreshOnFailure` stays off: a 401 is retried after one refresh by the source
 * itself, so that "one refresh, then reconnect" holds however the token came to be refused.
 */
export function gmailOAuthClient(config: GmailConfig, tokens?: GmailTokens): GmailOAuthClient {
  const client = new auth.OAuth2({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: config.redirectUri,
    endpoints: { oauth2AuthBaseUrl: config.authUrl, oauth2TokenUrl: config.tokenUrl },
    forceRefreshOnFailure: false,
  });
  if (tokens) client.setCredentials({ refresh_token: tokens.refresh_token, access_token: tokens.access_token, expiry_date: tokens.expiry_date });
  return client;
}

/**
 * The Gmail API client. The library's own retries are off (it would retry 429s and 5xx three
 * times without reading Retry-After): a failed call fails the page, and the step's retry,
 * told how long to wait, is the one retry loop.
 */
export function gmailApi(config: GmailConfig, client: GmailOAuthClient): GmailApi {
  return gmail({ version: "v1", auth: client, rootUrl: `${config.apiUrl.replace(/\/+$/, "")}/`, retry: false, timeout: REQUEST_TIMEOUT_MS });
}
