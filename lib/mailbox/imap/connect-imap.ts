import { ImapFlow } from "imapflow";
import type { MailboxSettings } from "@/core/mailbox/mailbox-types";
import { MailboxAuthError } from "../mailbox-source";

export type ImapSettings = Extract<MailboxSettings, { kind: "imap" }>;

/** A server that does not greet, or stops answering mid-page, fails the step (which retries) rather than hanging it. */
const CONNECT_TIMEOUT_MS = 15_000;
const GREETING_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 60_000;

/**
 * Connects and logs in. A refused login (a tagged NO to LOGIN/AUTHENTICATE, `[AUTHENTICATIONFAILED]`)
 * is a MailboxAuthError carrying the server's text, since no retry can fix it; a refused
 * connection, a timeout or a dropped socket stays a plain error, which the step retries.
 * imapflow's own logger is off: it would print protocol lines, and the password is never logged.
 */
export async function connectImap(settings: ImapSettings, password: string): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: { user: settings.user, pass: password },
    logger: false,
    connectionTimeout: CONNECT_TIMEOUT_MS,
    greetingTimeout: GREETING_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    // Nothing listens for server pushes between pages: a connection lives for one page.
    disableAutoIdle: true,
  });
  // imapflow reports socket faults as 'error' events too; the awaited command rejects with them.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    client.close();
    const refused = error as { authenticationFailed?: boolean; response?: unknown; serverResponseCode?: string; message?: string };
    if (refused.authenticationFailed) {
      const text = typeof refused.response === "string" && refused.response.trim() !== "" ? refused.response.trim() : (refused.serverResponseCode ?? refused.message ?? "authentication failed");
      throw new MailboxAuthError(text, { cause: error });
    }
    throw error;
  }
  return client;
}

/** The folders a connection reads when it names none: INBOX and the server's \Sent folder, if it marks one. */
export async function defaultImapFolders(client: ImapFlow): Promise<string[]> {
  const folders = await client.list();
  const sent = folders.find((folder) => folder.specialUse === "\\Sent");
  return sent && sent.path !== "INBOX" ? ["INBOX", sent.path] : ["INBOX"];
}

/**
 * Logs in and out, for the connect and reconnect forms: resolves with the folders the connection
 * will read (the named ones, or INBOX and \Sent), throws MailboxAuthError when the server refuses
 * the credentials and a plain error when it cannot be reached.
 */
export async function verifyImapLogin(settings: ImapSettings, password: string): Promise<{ folders: string[] }> {
  const client = await connectImap(settings, password);
  try {
    const folders = settings.folders.length > 0 ? settings.folders : await defaultImapFolders(client);
    return { folders };
  } finally {
    await client.logout().catch(() => client.close());
  }
}
