import { describe, expect, it } from "vitest";
import { addToLogContext, withLogContext } from "@/lib/observability/log-context";
import { createLogger, logFormat, REDACTED } from "@/lib/observability/logger";

function logTo(env: Record<string, string> = {}) {
  const lines: string[] = [];
  const logger = createLogger({ write: (line: string) => void lines.push(line) }, env);
  return { logger, lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("the app's logger", () => {
  it("writes one JSON object per line: level name, ISO time, service, message and fields", () => {
    const { logger, lines } = logTo();
    logger.info({ importId: "i-1" }, "import started");
    expect(lines()).toEqual([
      { level: "info", time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), service: "sendline", pid: process.pid, hostname: expect.any(String), importId: "i-1", msg: "import started" },
    ]);
  });

  it("serializes errors with their type, message and stack", () => {
    const { logger, lines } = logTo();
    logger.error({ err: new TypeError("bad thing") }, "failed");
    expect(lines()[0]).toMatchObject({ level: "error", err: { type: "TypeError", message: "bad thing", stack: expect.stringContaining("TypeError: bad thing") } });
  });

  it.each([
    ["an API key", { apiKey: "re_live_123" }, "re_live_123"],
    ["an Authorization header", { headers: { authorization: "Bearer sk_live" } }, "sk_live"],
    ["a nested secret", { config: { password: "hunter2", token: "t0k3n" } }, "hunter2"],
    ["a message's html", { message: { html: "<p>Your code is 1234</p>", subject: "Code" } }, "1234"],
    ["a message's text", { text: "Your code is 5678" }, "5678"],
    ["a request body", { request: { body: "private words" } }, "private words"],
  ])("redacts %s", (_case, fields, secret) => {
    const { logger, lines } = logTo();
    logger.info(fields, "something happened");
    const line = JSON.stringify(lines()[0]);
    expect(line).not.toContain(secret);
    expect(line).toContain(REDACTED);
  });

  it("keeps what is not secret next to what it redacts", () => {
    const { logger, lines } = logTo();
    logger.info({ message: { subject: "Hello", html: "<p>x</p>" } }, "sent");
    expect(lines()[0]).toMatchObject({ message: { subject: "Hello", html: REDACTED } });
  });

  it("stamps every line with the context of the work it was written for, however deep the caller", async () => {
    const { logger, lines } = logTo();
    const deepInLib = async () => logger.info("deep");
    await withLogContext({ runId: "run-1", function: "send-notification" }, async () => {
      addToLogContext({ eventId: "evt-1", workspaceId: "ws-1" });
      await withLogContext({ step: "send-message", attempt: 1 }, deepInLib);
      logger.info("after the step");
    });
    logger.info("outside");
    expect(lines().map(({ runId, eventId, workspaceId, function: fn, step, attempt, msg }) => ({ runId, eventId, workspaceId, fn, step, attempt, msg }))).toEqual([
      { runId: "run-1", eventId: "evt-1", workspaceId: "ws-1", fn: "send-notification", step: "send-message", attempt: 1, msg: "deep" },
      { runId: "run-1", eventId: "evt-1", workspaceId: "ws-1", fn: "send-notification", step: undefined, attempt: undefined, msg: "after the step" },
      { runId: undefined, eventId: undefined, workspaceId: undefined, fn: undefined, step: undefined, attempt: undefined, msg: "outside" },
    ]);
  });

  it("keeps one line's own fields out of the lines after it in the same context", async () => {
    const { logger, lines } = logTo();
    await withLogContext({ runId: "run-2" }, async () => {
      logger.warn({ subscriptionId: "sub-1", status: 410 }, "first");
      logger.info({ subscriptionId: "sub-2" }, "second");
    });
    expect(lines().map(({ runId, subscriptionId, status, msg }) => ({ runId, subscriptionId, status, msg }))).toEqual([
      { runId: "run-2", subscriptionId: "sub-1", status: 410, msg: "first" },
      { runId: "run-2", subscriptionId: "sub-2", status: undefined, msg: "second" },
    ]);
  });

  it("writes nothing below LOG_LEVEL", () => {
    const { logger, lines } = logTo({ LOG_LEVEL: "warn" });
    logger.info("quiet");
    logger.warn("loud");
    expect(lines().map((line) => line.msg)).toEqual(["loud"]);
  });

  it.each([
    [{ NODE_ENV: "development" }, true, "pretty"],
    [{ NODE_ENV: "development" }, false, "json"],
    [{ NODE_ENV: "production" }, true, "json"],
    [{ NODE_ENV: "test" }, true, "json"],
    [{ NODE_ENV: "production", LOG_FORMAT: "pretty" }, false, "pretty"],
    [{ NODE_ENV: "development", LOG_FORMAT: "json" }, true, "json"],
  ])("chooses its format from %o (terminal: %s): %s", (env, isTty, format) => {
    expect(logFormat(env, isTty)).toBe(format);
  });
});
