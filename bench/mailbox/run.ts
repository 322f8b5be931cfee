/**
 * Mailbox sync benchmark (DESIGN.md "Performance goals": ≥ 500 messages/s from a local IMAP
 * server, ≥ 0.5 × the IMAP client alone, ≤ 20 executions per 1,000 messages). A private Dovecot
 * on loopback holds a Maildir of --messages realistic messages (INBOX and Sent). Measured in one
 * run on the same machine:
 *  - baseline: imapflow alone reading the mailbox the way the IMAP source does (a connection per
 *    page of 200, EXAMINE, UID SEARCH, a partial BODY.PEEK[] fetch), storing nothing;
 *  - sync: syncMailboxPage pages, as sync-mailbox's steps run them (fetch, parse, store once
 *    per Message-ID, merge contacts, move the cursor), on PGlite and on PostgreSQL.
 * Executions are counted as the function spends them: a step per page, an enrichment send per
 * page that created contacts, one run per MAILBOX_SYNC_PAGES_PER_RUN pages plus its hand-over
 * send, and the connection's first incremental run (one step). A missed goal is reported, never an error.
 *
 *   npm run bench:mailbox -- [--messages 5000] [--targets pglite,postgres]
 * Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 */
import os from "node:os";
import { parseArgs } from "node:util";

process.env.LOG_LEVEL ??= "warn";

const { values: flags } = parseArgs({ options: { messages: { type: "string" }, targets: { type: "string" } } });
const MESSAGES = Number(flags.messages ?? 5_000);
const TARGETS = (flags.targets ?? "pglite,postgres").split(",");
const PG_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const GOALS = { messagesPerSecond: 500, ratio: 0.5, executionsPer1000: 20 };

async function main() {
  const { ImapFlow } = await import("imapflow");
  const { openDatabase } = await import("@/db");
  const { insertMailboxConnection } = await import("@/db/queries/mailbox-connections");
  const { MAILBOX_MESSAGE_MAX_BYTES, MAILBOX_PAGE_MESSAGES } = await import("@/core/mailbox/mailbox-limits");
  const { MAILBOX_SYNC_PAGES_PER_RUN } = await import("@/inngest/functions/mailbox/sync-mailbox");
  const { openImapSource } = await import("@/lib/mailbox/imap/imap-source");
  const { uidSet } = await import("@/lib/mailbox/imap/uid-set");
  const { sealMailboxCredentials } = await import("@/lib/mailbox/mailbox-credentials");
  const { syncMailboxPage } = await import("@/lib/mailbox/sync-mailbox-page");
  const { createWorkspace } = await import("@/lib/workspaces/create-workspace");
  const { imapMailbox } = await import("@/test/fixtures/mailbox/imap-mailbox");
  const { OWNER } = await import("@/test/fixtures/mailbox/mail-fixtures");
  const { createServerDatabase } = await import("@/test/support/database");
  const { startDovecot } = await import("@/test/support/dovecot");

  const now = new Date();
  const dovecot = await startDovecot();
  try {
    const mailbox = imapMailbox({ inbox: Math.round(MESSAGES * 0.8), sent: MESSAGES - Math.round(MESSAGES * 0.8), now, spanDays: 300, tag: "bench" });
    for (const folder of ["INBOX", "Sent"] as const) dovecot.deliver(folder, mailbox.filter((message) => message.folder === folder));
    const bytes = mailbox.reduce((sum, message) => sum + Buffer.byteLength(message.raw), 0);
    console.log(`mailbox bench: ${MESSAGES} messages (${(bytes / 1024 / 1024).toFixed(1)} MB) in INBOX and Sent, Dovecot on 127.0.0.1:${dovecot.port}; load ${os.loadavg().map((n) => n.toFixed(2)).join(" ")}`);

    const client = () => new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
    // Warm-up: Dovecot indexes a new Maildir on first access; neither measurement should pay for it.
    const warm = client();
    await warm.connect();
    for (const folder of ["INBOX", "Sent"]) {
      await warm.mailboxOpen(folder, { readOnly: true });
      await warm.search({ all: true }, { uid: true });
    }
    await warm.logout();

    // Baseline: the client alone, a page per connection as the source reads them.
    let read = 0;
    const baselineStarted = performance.now();
    for (const folder of ["INBOX", "Sent"]) {
      let below = Number.POSITIVE_INFINITY;
      for (;;) {
        const imap = client();
        await imap.connect();
        const box = await imap.mailboxOpen(folder, { readOnly: true });
        const top = Math.min(below, box.uidNext) - 1;
        const uids = top >= 1 ? ((await imap.search({ uid: `1:${top}` }, { uid: true })) || []).sort((a, b) => b - a).slice(0, MAILBOX_PAGE_MESSAGES) : [];
        if (uids.length > 0) {
          const fetched = await imap.fetchAll(uidSet(uids), { uid: true, source: { start: 0, maxLength: MAILBOX_MESSAGE_MAX_BYTES } }, { uid: true });
          read += fetched.length;
          below = uids.at(-1)!;
        }
        await imap.logout();
        if (uids.length < MAILBOX_PAGE_MESSAGES) break;
      }
    }
    const baselineSeconds = (performance.now() - baselineStarted) / 1000;
    const baselineRate = read / baselineSeconds;
    console.log(`  baseline (imapflow alone): ${read} messages in ${baselineSeconds.toFixed(2)} s = ${baselineRate.toFixed(0)} messages/s`);

    for (const target of TARGETS) {
      let database;
      try {
        database = target === "postgres" ? await createServerDatabase(PG_URL) : openDatabase({ pgliteDir: "memory://" });
        if (target === "pglite") await database.migrate();
      } catch (error) {
        console.log(`  ${target}: skipped (${error instanceof Error ? error.message : String(error)})`);
        continue;
      }
      try {
        const { workspace } = await createWorkspace(database.db, { name: `Mailbox bench ${target}` });
        const id = crypto.randomUUID();
        await insertMailboxConnection(database.db, {
          id,
          workspaceId: workspace.id,
          kind: "imap",
          label: "bench",
          ownerAddresses: [OWNER],
          storeBodies: false,
          historyDays: 3_650,
          settings: { kind: "imap", host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, folders: ["INBOX", "Sent"] },
          ...sealMailboxCredentials(id, dovecot.password),
        });
        const ids = { workspaceId: workspace.id, connectionId: id };
        const started = performance.now();
        // Folders as the connect route stores them (it resolves INBOX and \Sent once, at login).
        // The connection's first incremental run records UIDNEXT; the backfill walks down from it.
        await syncMailboxPage(database.db, { ...ids, mode: "incremental" }, openImapSource);
        let pages = 0;
        let enrichSends = 0;
        let stored = 0;
        for (;;) {
          const page = await syncMailboxPage(database.db, { ...ids, mode: "backfill" }, openImapSource);
          pages++;
          stored += page.stored;
          if (page.createdContactIds.length > 0) enrichSends++;
          if (page.state !== "more") break;
        }
        const seconds = (performance.now() - started) / 1000;
        const rate = stored / seconds;
        const runs = Math.ceil(pages / MAILBOX_SYNC_PAGES_PER_RUN);
        const executions = 2 + runs + pages + enrichSends + (runs - 1);
        const per1000 = (executions * 1000) / stored;
        const verdict = (ok: boolean) => (ok ? "ok" : "MISSED");
        console.log(
          `  sync on ${target}: ${stored} messages in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} messages/s (${verdict(rate >= GOALS.messagesPerSecond)} ≥ ${GOALS.messagesPerSecond}), ` +
            `${(rate / baselineRate).toFixed(2)} × baseline (${verdict(rate / baselineRate >= GOALS.ratio)} ≥ ${GOALS.ratio}); ` +
            `${executions} executions (${runs + 1} runs, ${pages + 1} page steps, ${enrichSends} enrichment sends, ${runs - 1} hand-overs) = ${per1000.toFixed(1)} per 1,000 messages (${verdict(per1000 <= GOALS.executionsPer1000)} ≤ ${GOALS.executionsPer1000})`,
        );
      } finally {
        await database.close();
      }
    }
    console.log(`  load after: ${os.loadavg().map((n) => n.toFixed(2)).join(" ")}`);
  } finally {
    await dovecot.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
