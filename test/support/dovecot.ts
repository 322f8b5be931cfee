import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ImapFlow } from "imapflow";
import { freePort } from "./free-port";

/** Where Debian's `dovecot-imapd` puts the server. */
const DOVECOT_BINARY = process.env.DOVECOT_BINARY ?? "/usr/sbin/dovecot";
const START_TIMEOUT_MS = 10_000;

/**
 * Whether the IMAP specs can run here, and if not, why: `describe.skipIf(!dovecot.available)`
 * with the reason printed. In CI a missing server is a failure, not a skip (.ci/run installs it).
 */
export function dovecotAvailability(): { available: true } | { available: false; reason: string } {
  if (fs.existsSync(DOVECOT_BINARY)) return { available: true };
  const reason = `Dovecot is not installed (${DOVECOT_BINARY}): the IMAP specs need it. Install it with \`sudo apt-get install -y dovecot-imapd\` (Debian/Ubuntu); .ci/run does.`;
  if (process.env.CI) throw new Error(reason);
  console.warn(`skipped: ${reason}`);
  return { available: false, reason };
}

export type DovecotMessage = {
  /** The raw RFC 5322 message. */
  raw: string | Buffer;
  /** INTERNALDATE (a Maildir file's mtime): what SEARCH SINCE compares. */
  receivedAt: Date;
};

export type Dovecot = {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Writes messages into a folder's Maildir (`new/`), as a delivery agent would; the folder is created if missing. */
  deliver(folder: string, messages: readonly DovecotMessage[]): void;
  /** Throws the folder's UID list and indexes away: the server numbers it again under a new UIDVALIDITY. */
  resetUidValidity(folder: string): void;
  /** Changes the user's password; resolves once the server accepts the new one (it re-reads its passwd file lazily). */
  setPassword(password: string): Promise<void>;
  stop(): Promise<void>;
};

/**
 * A private Dovecot on 127.0.0.1 for one test file: a generated configuration in a temp dir,
 * plaintext login (loopback only, no TLS), one passwd-file user, a Maildir with INBOX and a Sent
 * folder marked \Sent, run in the foreground. As root (CI) the server's processes run as
 * Debian's `dovecot`/`dovenull` users and the mail as `dovecot`; otherwise everything runs as
 * the current user.
 */
export async function startDovecot(options: { user?: string; password?: string } = {}): Promise<Dovecot> {
  const user = options.user ?? "owner";
  let password = options.password ?? "imap-test-password";
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-dovecot-"));
  fs.chmodSync(root, 0o755);
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const me = os.userInfo();
  const mailUid = asRoot ? Number(spawnSync("id", ["-u", "dovecot"]).stdout.toString().trim()) : me.uid;
  const mailGid = asRoot ? Number(spawnSync("id", ["-g", "dovecot"]).stdout.toString().trim()) : me.gid;
  const maildir = path.join(root, "mail", user);
  const passwd = path.join(root, "passwd");
  const writePasswd = () => fs.writeFileSync(passwd, `${user}:{PLAIN}${password}::::::\n`, { mode: 0o644 });
  writePasswd();
  for (const dir of ["run", "state", path.join("mail", user)]) fs.mkdirSync(path.join(root, dir), { recursive: true });
  const owned = (target: string) => {
    if (asRoot) fs.chownSync(target, mailUid, mailGid);
  };
  const config = [
    `base_dir = ${root}/run`,
    `state_dir = ${root}/state`,
    `log_path = ${root}/dovecot.log`,
    "protocols = imap",
    "listen = 127.0.0.1",
    "ssl = no",
    // Loopback without TLS: plaintext LOGIN must be allowed (Dovecot 2.3 name; 2.4 calls it auth_allow_cleartext).
    "disable_plaintext_auth = no",
    "auth_mechanisms = plain login",
    // A refused login answers at once (2 s by default): the specs refuse on purpose.
    "auth_failure_delay = 0",
    `default_internal_user = ${asRoot ? "dovecot" : me.username}`,
    `default_internal_group = ${asRoot ? "dovecot" : (spawnSync("id", ["-gn"]).stdout.toString().trim() || me.username)}`,
    `default_login_user = ${asRoot ? "dovenull" : me.username}`,
    "first_valid_uid = 1",
    `mail_location = maildir:${root}/mail/%u`,
    "mail_plugins = ",
    "passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u " + passwd + "\n}",
    `userdb {\n  driver = static\n  args = uid=${mailUid} gid=${mailGid} home=${root}/mail/%u\n}`,
    `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
    "service stats {\n  unix_listener stats-reader {\n    mode = 0666\n  }\n  unix_listener stats-writer {\n    mode = 0666\n  }\n}",
    "namespace inbox {\n  inbox = yes\n  separator = /\n  mailbox Sent {\n    special_use = \\Sent\n    auto = create\n  }\n}",
    // No auth penalty either (up to 15 s for every login from an address after a failure): the documented off switch.
    "service anvil {\n  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}",
    "protocol imap {\n  mail_max_userip_connections = 100\n}",
    "",
  ].join("\n");
  const configPath = path.join(root, "dovecot.conf");
  fs.writeFileSync(configPath, config);
  for (const dir of [path.join(root, "mail"), maildir]) owned(dir);

  // SEARCH SINCE compares dates in the server's time zone: UTC keeps a fixture's window exact.
  const child: ChildProcess = spawn(DOVECOT_BINARY, ["-F", "-c", configPath], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TZ: "UTC" } });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await waitForPort(port, child, () => output, root);
  } catch (error) {
    child.kill("SIGKILL");
    fs.rmSync(root, { recursive: true, force: true });
    throw error;
  }

  const folderDir = (folder: string) => (folder === "INBOX" ? maildir : path.join(maildir, `.${folder.replaceAll("/", ".")}`));
  let sequence = 0;
  return {
    host: "127.0.0.1",
    port,
    user,
    get password() {
      return password;
    },
    deliver(folder, messages) {
      const dir = folderDir(folder);
      for (const sub of ["", "new", "cur", "tmp"]) {
        const target = path.join(dir, sub);
        if (!fs.existsSync(target)) {
          fs.mkdirSync(target, { recursive: true });
          owned(target);
        }
      }
      for (const message of messages) {
        const file = path.join(dir, "new", `${Math.floor(message.receivedAt.getTime() / 1000)}.M${++sequence}P${process.pid}.sendline-test`);
        fs.writeFileSync(file, typeof message.raw === "string" ? message.raw.replace(/\r?\n/g, "\r\n") : message.raw);
        fs.utimesSync(file, message.receivedAt, message.receivedAt);
        owned(file);
      }
    },
    resetUidValidity(folder) {
      const dir = folderDir(folder);
      for (const name of fs.readdirSync(dir)) {
        if (name === "dovecot-uidlist" || name.startsWith("dovecot.index")) fs.rmSync(path.join(dir, name), { force: true });
      }
      // Messages already numbered went to cur/ with flags in their names; they keep their files.
    },
    async setPassword(next) {
      password = next;
      writePasswd();
      const deadline = Date.now() + START_TIMEOUT_MS;
      for (;;) {
        const client = new ImapFlow({ host: "127.0.0.1", port, secure: false, auth: { user, pass: next }, logger: false });
        client.on("error", () => {});
        try {
          await client.connect();
          await client.logout();
          return;
        } catch (error) {
          client.close();
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
    async stop() {
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, child: ChildProcess, output: () => string, root: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const log = fs.existsSync(path.join(root, "dovecot.log")) ? fs.readFileSync(path.join(root, "dovecot.log"), "utf8") : "";
  throw new Error(`Dovecot did not start on 127.0.0.1:${port}: ${output()}${log}`.slice(0, 4000));
}
