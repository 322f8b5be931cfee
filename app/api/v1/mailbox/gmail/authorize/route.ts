import { NextResponse } from "next/server";
import { mailboxGmailApi } from "@/lib/api/contracts/mailbox-gmail";
import { apiError } from "@/lib/api/responses";
import { apiRoute, readQuery } from "@/lib/api/route";
import { type GmailConfig, gmailConfig, GmailNotConfigured } from "@/lib/mailbox/gmail/gmail-config";
import { gmailAuthorization } from "@/lib/mailbox/gmail/gmail-oauth";

/**
 * The first half of connecting Gmail: Google's consent URL for this workspace, with the
 * connection's options in the signed state (the callback, reached by the user's browser, has no
 * API key and trusts only that). 409 when this server has no Google OAuth client.
 */
export const GET = apiRoute(async ({ principal, request }) => {
  const query = readQuery(request, mailboxGmailApi.authorize.query);
  if (!query.ok) return query.response;
  let config: GmailConfig;
  try {
    config = gmailConfig();
  } catch (error) {
    if (error instanceof GmailNotConfigured) return apiError(409, "gmail_not_configured", error.message);
    throw error;
  }
  const { label, storeBodies, historyDays } = query.data;
  const { url, expiresAt } = gmailAuthorization(config, { workspaceId: principal.workspaceId, options: { label: label ?? null, storeBodies, historyDays } });
  return NextResponse.json({ url, expiresAt: expiresAt.toISOString() });
});
