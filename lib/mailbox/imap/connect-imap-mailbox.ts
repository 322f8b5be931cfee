import type { Db } from "@/db";
import { getMailboxConnection, insertMailboxConnection, type MailboxConnection, setMailboxConnectionStatus, storeMailboxCredentials } from "@/db/queries/mailbox-connections";
import { logger } from "@/lib/observability/logger";
import { sealMailboxCredentials } from "../mailbox-credentials";
import { MailboxAuthError } from "../mailbox-source";
import { type ImapSettings, verifyImapLogin } from "./connect-imap";
import type { ImapConnectionFields } from "./imap-connection-fields";

/** Why a login was not accepted, in words for the form and the API (never the password). */
export type ImapLoginProblem = { status: 422 | 502; code: "credentials_refused" | "server_unreachable"; field: "password" | "host"; message: string };

export type ConnectResult = { ok: true; connection: MailboxConnection } | { ok: false; problem: ImapLoginProblem };

type Verify = typeof verifyImapLogin;

/**
 * Logs in once before anything is stored: credentials the server refuses are a 422 with its own
 * words; a server that cannot be reached is a 502 naming only the host and port (no socket detail,
 * so the form is no probe of the network behind it).
 */
async function tryLogin(settings: ImapSettings, password: string, verify: Verify): Promise<{ ok: true; folders: string[] } | { ok: false; problem: ImapLoginProblem }> {
  try {
    return { ok: true, ...(await verify(settings, password)) };
  } catch (error) {
    if (error instanceof MailboxAuthError) {
      return { ok: false, problem: { status: 422, code: "credentials_refused", field: "password", message: `The server refused the login: ${error.message}` } };
    }
    logger.info({ host: settings.host, port: settings.port, err: error instanceof Error ? error.message : String(error) }, "mailbox: IMAP server unreachable while connecting");
    return { ok: false, problem: { status: 502, code: "server_unreachable", field: "host", message: `Could not reach an IMAP server at ${settings.host}:${settings.port}${settings.secure ? " over TLS" : ""}` } };
  }
}

/**
 * Connects an IMAP mailbox: verifies the login, then stores the connection with the password
 * sealed under its own id and the folders it will read. Sending its first sync is the caller's
 * (the route or the dashboard action): lib never sends events.
 */
export async function connectImapMailbox(db: Db, workspaceId: string, fields: ImapConnectionFields, verify: Verify = verifyImapLogin): Promise<ConnectResult> {
  const settings: ImapSettings = { kind: "imap", host: fields.host, port: fields.port, secure: fields.secure, user: fields.user, folders: fields.folders ?? [] };
  const login = await tryLogin(settings, fields.password, verify);
  if (!login.ok) return login;
  const id = crypto.randomUUID();
  const connection = await insertMailboxConnection(db, {
    id,
    workspaceId,
    kind: "imap",
    label: fields.label ?? `${fields.user}@${fields.host}`,
    ownerAddresses: fields.ownerAddresses,
    storeBodies: fields.storeBodies,
    historyDays: fields.historyDays,
    settings: { ...settings, folders: login.folders },
    ...sealMailboxCredentials(id, fields.password),
  });
  return { ok: true, connection };
}

/**
 * A new password for a connection in `reconnect` (or `error`): verified against the stored
 * settings, sealed, and the connection active again from its stored cursor. Returns undefined
 * when there is no such IMAP connection in the workspace.
 */
export async function reconnectImapMailbox(
  db: Db,
  ids: { workspaceId: string; connectionId: string },
  password: string,
  verify: Verify = verifyImapLogin,
): Promise<ConnectResult | { ok: false; problem: { status: 409; message: string } } | undefined> {
  const connection = await getMailboxConnection(db, ids);
  if (!connection || connection.kind !== "imap" || connection.settings?.kind !== "imap") return undefined;
  if (connection.status !== "reconnect" && connection.status !== "error") return { ok: false, problem: { status: 409, message: `The connection is ${connection.status}` } };
  const login = await tryLogin(connection.settings, password, verify);
  if (!login.ok) return login;
  await storeMailboxCredentials(db, { ...ids, ...sealMailboxCredentials(connection.id, password) });
  const row = await setMailboxConnectionStatus(db, { ...ids, from: ["reconnect", "error"], to: "active", reason: null });
  if (!row) return { ok: false, problem: { status: 409, message: "The connection changed meanwhile" } };
  return { ok: true, connection: row };
}
