import { hostname } from "node:os";
import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";
import { type Env, envValue } from "@/core/config/env";
import { currentLogContext } from "./log-context";

/**
 * Keys whose values never reach a log: credentials, and what people write to each other
 * (message bodies). Listed at the top level and one level down, where call sites put them
 * (`{ headers: { authorization } }`, `{ message: { html } }`).
 */
const SECRET_KEYS = [
  "authorization",
  "Authorization",
  "cookie",
  "apiKey",
  "api_key",
  "authToken",
  "accessToken",
  "password",
  "secret",
  "signingKey",
  "token",
  "x-api-key",
  "html",
  "text",
  "body",
];
export const REDACTED_PATHS = [
  ...SECRET_KEYS.map((key) => (/^[A-Za-z_]\w*$/.test(key) ? key : `["${key}"]`)),
  ...SECRET_KEYS.map((key) => (/^[A-Za-z_]\w*$/.test(key) ? `*.${key}` : `*["${key}"]`)),
  "*.headers.authorization",
  "*.headers.cookie",
  '*.headers["x-api-key"]',
];
export const REDACTED = "[redacted]";

export type LogFormat = "json" | "pretty";

/** Pretty only for a person at a terminal in development; everything else (production, CI, tests, pipes) gets JSON lines. */
export function logFormat(env: Env = process.env, isTty = Boolean(process.stdout.isTTY)): LogFormat {
  const chosen = envValue("LOG_FORMAT", env);
  if (chosen) return chosen;
  return env.NODE_ENV === "development" && isTty ? "pretty" : "json";
}

export function loggerOptions(env: Env = process.env): LoggerOptions {
  return {
    level: envValue("LOG_LEVEL", env) ?? "info",
    // Which instance wrote the line, when several run.
    base: { service: "sendline", pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names, not numbers: what a person and a log query both read.
    formatters: { level: (label) => ({ level: label }) },
    // The run, event, function, step and workspace this line was written for, from wherever it was written.
    // A copy: pino's default merge assigns the line's own fields onto the mixin's object, which
    // would otherwise be the live context store, leaking one line's fields into every later line.
    mixin: () => ({ ...currentLogContext() }),
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
  };
}

/** A logger writing to `destination`; the app uses the one below, tests make their own. */
export function createLogger(destination: DestinationStream, env: Env = process.env): Logger {
  return pino(loggerOptions(env), destination);
}

function defaultDestination(): DestinationStream {
  // pino-pretty is a dev dependency; pino loads it in a worker by name (Next keeps both
  // packages external), so a production install without it never gets here.
  if (logFormat() === "pretty") return pino.transport({ target: "pino-pretty", options: { colorize: true, translateTime: "SYS:HH:MM:ss.l" } });
  // Synchronous: a line written just before a crash or a serverless freeze is not lost in a buffer.
  return pino.destination({ dest: 1, sync: true });
}

// One sink per process (Next may load this module once per route bundle), whose target can be
// swapped: `captureLogs` lets a test read exactly what the app wrote.
const SINK_KEY = Symbol.for("sendline.observability.log-sink");
type Sink = DestinationStream & { target: DestinationStream | null };
const holder = globalThis as { [SINK_KEY]?: Sink };
const sink: Sink = (holder[SINK_KEY] ??= {
  target: null,
  write(line: string) {
    (sink.target ??= defaultDestination()).write(line);
  },
});

/** The app's logger: JSON lines on stdout (pretty in development), with the current work's context on every line. */
export const logger: Logger = createLogger(sink);

/** Sends the app's log lines to `destination` until the returned function is called. */
export function captureLogs(destination: DestinationStream): () => void {
  const previous = sink.target;
  sink.target = destination;
  return () => {
    sink.target = previous;
  };
}
