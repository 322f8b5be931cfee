import { execFileSync } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

export type HttpsLoopbackServer = { url: string; port: number; origin: string; certificate: string; stop(): Promise<void> };

/**
 * A throwaway certificate for 127.0.0.1 made with the openssl CLI (Node cannot issue X.509 on
 * its own), so fakes of https-only services (Web Push endpoints are always https, and web-push
 * always speaks https) are real TLS servers; clients trust exactly `certificate`.
 */
function selfSignedCertificate(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-tls-"));
  try {
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
      { stdio: "ignore" },
    );
    return { key: fs.readFileSync(path.join(dir, "key.pem"), "utf8"), cert: fs.readFileSync(path.join(dir, "cert.pem"), "utf8") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** An HTTPS server on 127.0.0.1 only, handing whole request bodies to `handler`. */
export async function startHttpsLoopbackServer(handler: (req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer) => void | Promise<void>): Promise<HttpsLoopbackServer> {
  const { key, cert } = selfSignedCertificate();
  const server = https.createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      Promise.resolve(handler(req, res, Buffer.concat(chunks))).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    origin: `https://127.0.0.1:${port}`,
    port,
    certificate: cert,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
