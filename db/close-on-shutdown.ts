import { closeDatabase } from "./index";

/** Longer than the pool's own grace (db/index.ts), so a hung close never keeps the process. */
const EXIT_DEADLINE_MS = 6_000;

/**
 * On SIGTERM/SIGINT Next stops accepting connections, lets in-flight requests finish, then
 * calls process.exit. Closing the pool on the signal itself would fail those requests'
 * remaining queries, so the close waits for that exit: the pool ends (its last queries get a
 * few seconds) and the process then exits with Next's code. Without it the connections are
 * cut mid-protocol and PostgreSQL (or a pooler) logs each as an abnormal disconnect.
 */
export function closeDatabaseOnShutdown(): void {
  const deferExit = () => {
    const exit = process.exit.bind(process);
    let exiting = false;
    process.exit = ((code?: number) => {
      if (exiting) return exit(code);
      exiting = true;
      const timer = setTimeout(() => exit(code), EXIT_DEADLINE_MS);
      void closeDatabase()
        .catch(() => {})
        .finally(() => {
          clearTimeout(timer);
          exit(code);
        });
    }) as typeof process.exit;
  };
  process.once("SIGTERM", deferExit);
  process.once("SIGINT", deferExit);
}
