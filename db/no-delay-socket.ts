import net from "node:net";

/**
 * postgres.js's `socket` option: a TCP (or Unix) connection with Nagle's algorithm off, as libpq
 * always sets. postgres.js leaves it on, so a small message after a COPY (or any write the
 * server has not acknowledged yet) waits for the server's delayed ACK: about 40 ms per
 * statement on Linux, which made every import batch pay a fixed ~40 ms stall.
 */
export function noDelaySocket(options: { host: string[]; port: number[]; path?: string | false }): net.Socket {
  const socket = options.path ? net.connect(options.path) : net.connect({ host: options.host[0], port: options.port[0]! });
  socket.setNoDelay(true);
  return socket;
}
