import { ConfigError, type Env, envValue } from "@/core/config/env";
import { publicUrl } from "@/lib/config/public-url";

/** Read-only: the sync reads mail and labels and never changes or sends anything. */
export const GMAIL_READONLY_SCOPE = "https://www.googleapis.com/auth/gmail.readonly";
/** Where Google sends the user's browser back; registered as the OAuth client's redirect URI. */
export const GMAIL_CALLBACK_PATH = "/mailbox/gmail/callback";

export type GmailConfig = {
  clientId: string;
  clientSecret: string;
  authUrl: string;
  tokenUrl: string;
  apiUrl: string;
  redirectUri: string;
};

/**
 * What is missing when Gmail cannot be connected, in one sentence for the API and the dashboard.
 * A ConfigError: a sync step that meets it stops instead of retrying (stepError).
 */
export class GmailNotConfigured extends ConfigError {
  constructor(message: string, variable: string) {
    super(message, variable);
    this.name = "GmailNotConfigured";
  }
}

/**
 * The OAuth client and Google's addresses, or GmailNotConfigured naming what to set. Only the
 * Gmail routes and the Gmail source read this: without Google the rest of the app, `npm run dev`
 * included, never asks for it.
 */
export function gmailConfig(env: Env = process.env): GmailConfig {
  const clientId = envValue("GOOGLE_CLIENT_ID", env);
  const clientSecret = envValue("GOOGLE_CLIENT_SECRET", env);
  if (!clientId) {
    throw new GmailNotConfigured(
      "Gmail is not configured: create an OAuth client (Web application) in a Google Cloud project with the Gmail API enabled, and set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET",
      "GOOGLE_CLIENT_ID",
    );
  }
  if (!clientSecret) throw new GmailNotConfigured("GOOGLE_CLIENT_ID is set but GOOGLE_CLIENT_SECRET is not: set the OAuth client's secret too", "GOOGLE_CLIENT_SECRET");
  return {
    clientId,
    clientSecret,
    authUrl: envValue("GOOGLE_OAUTH_AUTH_URL", env) ?? "https://accounts.google.com/o/oauth2/v2/auth",
    tokenUrl: envValue("GOOGLE_OAUTH_TOKEN_URL", env) ?? "https://oauth2.googleapis.com/token",
    apiUrl: envValue("GMAIL_API_URL", env) ?? "https://gmail.googleapis.com",
    redirectUri: `${publicUrl(env as NodeJS.ProcessEnv)}${GMAIL_CALLBACK_PATH}`,
  };
}

/** True when a Gmail mailbox can be connected (the dashboard shows the button, else how to configure it). */
export function gmailConfigured(env: Env = process.env): boolean {
  try {
    gmailConfig(env);
    return true;
  } catch {
    return false;
  }
}
