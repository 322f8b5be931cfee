import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerDataStream } from "smtp-server";

/**
 * A real SMTP server on loopback (`smtp-server`, by nodemailer's author): it checks the
 * credentials, records every message it accepts (parsed with `mailparser`) and can refuse or
 * hang on demand, so tests drive the real nodemailer client through real SMTP sessions.
 */
export type FakeSmtpFailure =
  /** The server answers RCPT TO or the end of DATA with this reply code (4xx: try later; 5xx: refused). */
  | { code: number; at: "rcpt" | "data" }
  /** The message is read in full and never answered: the client times out after the final dot. */
  | { hang: true };

export type FakeSmtpMessage = { messageId: string | undefined; from: string; to: string[]; subject: string | undefined; headers: ParsedMail["headers"]; text: string | undefined; html: string | false };

export type FakeSmtp = {
  /** `smtp://user:pass@127.0.0.1:port` */
  url: string;
  port: number;
  messages: FakeSmtpMessage[];
  /** The next `count` messages fail as described. */
  failNext(count: number, failure: FakeSmtpFailure): void;
  /** Message-IDs accepted more than once: must stay empty. */
  duplicateSends(): string[];
  stop(): Promise<void>;
};

export async function startFakeSmtp(options: { user?: string; pass?: string } = {}): Promise<FakeSmtp> {
  const user = options.user ?? "sendline";
  const pass = options.pass ?? randomBytes(8).toString("hex");
  const messages: FakeSmtpMessage[] = [];
  const failures: FakeSmtpFailure[] = [];
  const hung: (() => void)[] = [];

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authMethods: ["PLAIN", "LOGIN"],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === pass) return callback(null, { user });
      callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      const failure = failures[0];
      if (failure && "at" in failure && failure.at === "rcpt") {
        failures.shift();
        return callback(Object.assign(new Error(`Injected ${failure.code} at RCPT TO`), { responseCode: failure.code }));
      }
      callback();
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const failure = failures.shift();
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (failure && "hang" in failure) return void hung.push(() => callback(new Error("closing")));
        if (failure && failure.at === "data") return callback(Object.assign(new Error(`Injected ${failure.code} after DATA`), { responseCode: failure.code }));
        simpleParser(Buffer.concat(chunks)).then(
          (mail) => {
            messages.push({
              messageId: mail.messageId,
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              subject: mail.subject,
              headers: mail.headers,
              text: mail.text,
              html: mail.html ?? false,
            });
            callback(null, `Queued as ${mail.messageId}`);
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${user}:${pass}@127.0.0.1:${port}`,
    port,
    messages,
    failNext(count, failure) {
      for (let i = 0; i < count; i += 1) failures.push(failure);
    },
    duplicateSends() {
      const seen = new Map<string, number>();
      for (const message of messages) seen.set(message.messageId ?? "", (seen.get(message.messageId ?? "") ?? 0) + 1);
      return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    },
    async stop() {
      for (const release of hung.splice(0)) release();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
