import { redirect } from "next/navigation";
import { GMAIL_DEFAULT_HISTORY_DAYS } from "@/lib/api/contracts/mailbox-gmail";
import { GMAIL_CALLBACK_PATH, gmailConfig, GmailNotConfigured } from "@/lib/mailbox/gmail/gmail-config";
import { gmailAuthorization } from "@/lib/mailbox/gmail/gmail-oauth";
import { FormOutcome } from "../_components/ui";
import { param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";

/**
 * The button's action: Google's consent URL for the workspace the form was rendered for (it
 * must still exist), with the API's default options. The callback brings the user back to
 * /mailbox with `notice` or `problem`.
 */
async function connectGmailAction(form: FormData): Promise<void> {
  "use server";
  const { workspaces } = await dashboardContext();
  const workspace = workspaces.find((candidate) => candidate.id === form.get("workspace"));
  if (!workspace) redirect(`/mailbox?${new URLSearchParams({ problem: "That workspace no longer exists: reload the page." })}`);
  const { url } = gmailAuthorization(gmailConfig(), { workspaceId: workspace.id, options: { label: null, storeBodies: false, historyDays: GMAIL_DEFAULT_HISTORY_DAYS } });
  redirect(url);
}

/** "Connect Gmail", or what to configure when this server has no Google OAuth client; and what the last connect said. */
export function ConnectGmail({ workspaceId, query }: { workspaceId: string; query: SearchParams }) {
  let missing: string | null = null;
  try {
    gmailConfig();
  } catch (error) {
    if (!(error instanceof GmailNotConfigured)) throw error;
    missing = error.message;
  }
  return (
    <section aria-labelledby="mailbox-gmail">
      <h2 id="mailbox-gmail">Connect Gmail</h2>
      <FormOutcome notice={param(query, "notice")} problem={param(query, "problem")} />
      {missing ? (
        <p className="muted">
          {missing}. Its authorised redirect URI is <code>{`<PUBLIC_URL>${GMAIL_CALLBACK_PATH}`}</code>; restart the app after setting them. The README&apos;s “Gmail” section walks
          through it.
        </p>
      ) : (
        <form action={connectGmailAction}>
          <input type="hidden" name="workspace" value={workspaceId} />
          <p className="muted">Read-only access: the last {GMAIL_DEFAULT_HISTORY_DAYS} days first, then new mail every few minutes. Google asks the mailbox owner to consent.</p>
          <button type="submit">Connect Gmail</button>
        </form>
      )}
    </section>
  );
}
