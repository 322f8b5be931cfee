import { getDatabase } from "@/db";
import { getWorkspace } from "@/db/queries/workspaces";
import { inngest } from "@/inngest/client";
import { mailboxStartEvents } from "@/inngest/mailbox-sync-event";
import { connectGmailMailbox } from "@/lib/mailbox/gmail/connect-gmail-mailbox";
import { type GmailConfig, gmailConfig, GmailNotConfigured } from "@/lib/mailbox/gmail/gmail-config";
import { exchangeGmailCode, GmailConsentError } from "@/lib/mailbox/gmail/gmail-oauth";
import { verifyGmailState } from "@/lib/mailbox/gmail/gmail-oauth-state";
import { logger } from "@/lib/observability/logger";
import { TRACKING_RESPONSE_HEADERS, trackingPage } from "@/lib/tracking/tracking-page";

export const dynamic = "force-dynamic";

/** Back to the mailbox page with what happened; the code in this URL stays out of the Referer and the caches. */
function backToMailbox(workspaceId: string, outcome: { notice: string } | { problem: string }): Response {
  const query = new URLSearchParams({ workspace: workspaceId, ...outcome });
  return new Response(null, { status: 303, headers: { ...TRACKING_RESPONSE_HEADERS, Location: `/mailbox?${query}` } });
}

const refused = (status: number, title: string, message: string) => trackingPage({ status, title, message });

/**
 * Where Google sends the user's browser after the consent page. There is no API key here: the
 * signed state from /api/v1/mailbox/gmail/authorize (or the dashboard's button) names the
 * workspace and the options, and a state that is not ours or has expired is refused before
 * anything else. The code is exchanged, the tokens sealed into the connection, and its sync
 * started; the user lands on /mailbox with a notice. Tokens and the code are never logged.
 */
export async function GET(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const check = verifyGmailState(params.get("state") ?? "");
  if (!check.ok) {
    return check.reason === "expired"
      ? refused(400, "This Gmail sign-in has expired", "Too much time passed since it was started. Connect Gmail again from the Mailbox page.")
      : refused(400, "Not a valid Gmail sign-in", "This address was not issued by this Sendline server. Connect Gmail from the Mailbox page.");
  }
  const { workspaceId, ...options } = check.state;
  const googleError = params.get("error");
  if (googleError) {
    return backToMailbox(workspaceId, { problem: googleError === "access_denied" ? "Gmail was not connected: access was not granted." : `Gmail was not connected: Google answered ${googleError.slice(0, 100)}.` });
  }
  const code = params.get("code");
  if (!code) return refused(400, "Not a valid Gmail sign-in", "Google's answer carried no authorization code. Connect Gmail again from the Mailbox page.");

  let config: GmailConfig;
  try {
    config = gmailConfig();
  } catch (error) {
    if (error instanceof GmailNotConfigured) return refused(409, "Gmail is not configured", error.message);
    throw error;
  }
  const { db } = await getDatabase();
  if (!(await getWorkspace(db, { workspaceId }))) return refused(404, "No such workspace", "The workspace this sign-in was started for no longer exists.");

  let account;
  try {
    account = await exchangeGmailCode(config, code);
  } catch (error) {
    if (error instanceof GmailConsentError) return backToMailbox(workspaceId, { problem: error.message });
    throw error;
  }
  const { connection, reconnected } = await connectGmailMailbox(db, { workspaceId, address: account.address, tokens: account.tokens, options });
  // A reconnect resumes from the stored position; the occasion's key makes a reloaded callback start nothing twice.
  await inngest.send(mailboxStartEvents({ workspaceId, connectionId: connection.id }, { key: `gmail-${reconnected ? `reconnected-${connection.updatedAt.getTime()}` : "created"}`, backfilled: connection.backfilledAt !== null }));
  logger.info({ workspaceId, connectionId: connection.id, reconnected }, "mailbox: gmail connected");
  return backToMailbox(workspaceId, { notice: reconnected ? `Gmail ${account.address} reconnected: syncing resumes.` : `Gmail ${account.address} connected: its mail is being read.` });
}
