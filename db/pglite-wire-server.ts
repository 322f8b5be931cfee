import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'

/** A FIFO lock: whoever holds it owns the one PGlite backend. */
class BackendLock {
  private tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const acquired = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return acquired;
  }
}

/**
 * Serves one PGlite over the Postgres wire protocol to several local clients (Next, CLIs).
 *
 * PGlite is a single backend, so its session state — the unnamed prepared statement, the
 * open transaction — is shared by everyone. A connection therefore holds the backend from
 * the first message of an extended-protocol batch until its Sync (or a simple Query) has
 * run, and for as long as it keeps a transaction open. Interleaving at message granularity
 * (as a generic multiplexer does) lets one client's Bind land on another's Parse.
 */
export async function servePglite(pglite: PGlite, options: { host: string; port: number }): Promise<{ url: string; close(): Promise<void> }> {
  // A client's startup message must not reach a backend that is still booting.
  await pglite.waitReady;
  const lock = new BackendLock();
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    let buffer = Buffer.alloc(0);
    let started = false;
    let release: (() => void) | null = null;
    let work: Promise<void> = Promise.resolve();

    // Messages of one batch are handed to PGlite together: a call per message costs far more
    // than the messages themselves.
    let pending: Buffer[] = [];
    const run = async (message: Buffer, endsBatch: boolean) => {
      pending.push(message);
      if (!endsBatch && buffer.length >= 5) return; // more of this batch is already here
      release ??= await lock.acquire();
      const batch = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
      pending = [];
      await pglite.runExclusive(() =>
        pglite.execProtocolRawStream(new Uint8Array(batch), {
          onRawData: (chunk) => {
            if (!socket.destroyed) socket.write(Buffer.from(chunk));
          },
        }),
      );
      if (endsBatch && !pglite.isInTransaction()) {
        release();
        release = null;
      }
    };

    const consume = async () => {
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          const code = buffer.readInt32BE(4);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
            buffer = buffer.subarray(8);
            socket.write("N");
            continue;
          }
          if (code === CANCEL_REQUEST) return void socket.destroy();
          if (buffer.length < length) return;
          const startup = buffer.subarray(0, length);
          buffer = buffer.subarray(length);
          started = true;
          await run(startup, true);
          continue;
        }
        if (buffer.length < 5) return;
        const type = buffer[0]!;
        const length = 1 + buffer.readInt32BE(1);
        if (buffer.length < length) return;
        const message = buffer.subarray(0, length);
        buffer = buffer.subarray(length);
        if (type === TERMINATE) return void socket.end();
        await run(message, type === SYNC || type === QUERY);
      }
    };

    socket.on("data", (data) => {
      buffer = buffer.length ? Buffer.concat([buffer, data]) : data;
      work = work.then(consume).catch(() => void socket.destroy());
    });
    socket.on("close", () => {
      sockets.delete(socket);
      // A client that vanished mid-transaction must not leave the backend locked or dirty.
      work = work.then(async () => {
        if (!release) return;
        if (pglite.isInTransaction()) await pglite.exec("ROLLBACK").catch(() => {});
        release();
        release = null;
      });
    });
    socket.on("error", () => socket.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address() as net.AddressInfo;
  return {
    url: `postgres://postgres@${options.host}:${address.port}/postgres`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
