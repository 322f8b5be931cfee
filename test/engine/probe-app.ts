import { Inngest, NonRetriableError, RetryAfterError, type InngestFunction } from "inngest";
import { serve } from "inngest/edge";

/** What the probe functions observed, for assertions (the in-process transport shares this module). */
export interface ProbeLog {
  counts: Map<string, number>;
  starts: Array<{ fn: string; key?: string; at: number; end?: number }>;
  failures: Array<{ functionId: string; runId: string; message: string }>;
}

const bump = (log: ProbeLog, k: string) => {
  const n = (log.counts.get(k) ?? 0) + 1;
  log.counts.set(k, n);
  return n;
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Functions a test file defines for itself (a conformance spec), served instead of the probe's own. */
export type DefineFunctions = (client: Inngest, log: ProbeLog) => InngestFunction.Any[];

/** A real-SDK app with one function per engine feature. `baseUrl` is the engine's URL. */
export function createProbeApp(
  baseUrl: string,
  opts: { signingKey?: string; cron?: boolean; log?: ProbeLog; functions?: DefineFunctions } = {},
) {
  const log: ProbeLog = opts.log ?? { counts: new Map(), starts: [], failures: [] };
  const client = new Inngest({
    id: "probe",
    baseUrl,
    ...(opts.signingKey ? { isDev: false, signingKey: opts.signingKey, eventKey: "probe-key" } : { isDev: true }),
  });

  const hello = client.createFunction({ id: "hello", triggers: [{ event: "probe/hello" }] }, async ({ event, step }) => {
    const a = await step.run("first", () => {
      bump(log, `hello-first:${String(event.data.tag)}`);
      return { tag: event.data.tag as string };
    });
    const b = await step.run("second", () => a.tag + "!");
    return { a, b };
  });

  const sleeper = client.createFunction({ id: "sleeper", triggers: [{ event: "probe/sleep" }] }, async ({ event, step }) => {
    const before = await step.run("before", () => bump(log, `sleeper-before:${String(event.data.tag)}`));
    await step.sleep("nap", String(event.data.nap ?? "1s"));
    const until = new Date(Date.now() + 500);
    await step.sleepUntil("until", until);
    const after = await step.run("after", () => bump(log, `sleeper-after:${String(event.data.tag)}`));
    return { before, after };
  });

  const waiter = client.createFunction({ id: "waiter", triggers: [{ event: "probe/wait" }] }, async ({ step }) => {
    const reply = await step.waitForEvent("reply", { event: "probe/reply", match: "data.id", timeout: "1500ms" });
    const cel = await step.waitForEvent("cel", { event: "probe/reply2", if: "async.data.n > 2", timeout: "1500ms" });
    return { reply: reply?.data ?? null, cel: cel?.data ?? null };
  });

  const sender = client.createFunction({ id: "sender", triggers: [{ event: "probe/send" }] }, async ({ event, step }) => {
    await step.sendEvent("emit", { name: "probe/hello", data: { tag: `from-sender-${String(event.data.tag)}` } });
    return "sent";
  });

  const invokee = client.createFunction({ id: "invokee", triggers: [{ event: "probe/never" }] }, async ({ event, step }) => {
    if (event.data.slow) await step.sleep("slow", "3s");
    return { doubled: Number(event.data.x) * 2 };
  });

  const invoker = client.createFunction({ id: "invoker", triggers: [{ event: "probe/invoke" }] }, async ({ event, step }) => {
    const ok = await step.invoke("call", { function: invokee, data: { x: event.data.x } });
    let timedOut = "";
    try {
      await step.invoke("slow-call", { function: invokee, data: { x: 1, slow: true }, timeout: "1s" });
    } catch (e) {
      timedOut = (e as Error).message;
    }
    return { ok, timedOut };
  });

  const parallel = client.createFunction({ id: "parallel", triggers: [{ event: "probe/parallel" }] }, async ({ step }) => {
    const parts = await Promise.all([1, 2, 3].map((n) => step.run(`part-${n}`, async () => (await pause(50), n * 10))));
    return parts.reduce((a, b) => a + b, 0);
  });

  const flaky = client.createFunction(
    { id: "flaky", retries: 3, triggers: [{ event: "probe/flaky" }] },
    async ({ event, step }) => {
      const v = await step.run("shaky", () => {
        const n = bump(log, `flaky:${String(event.data.tag)}`);
        if (n === 1) throw new RetryAfterError("slow down", "1s");
        if (n < 3) throw new Error(`boom ${n}`);
        return n;
      });
      return { attempts: v };
    },
  );

  const doomed = client.createFunction(
    {
      id: "doomed",
      retries: 2,
      triggers: [{ event: "probe/doomed" }],
      onFailure: async ({ event, error }) => {
        log.failures.push({ functionId: event.data.function_id, runId: event.data.run_id, message: error.message });
      },
    },
    async ({ step }) => {
      await step.run("explode", () => {
        bump(log, "doomed");
        throw new NonRetriableError("no point retrying");
      });
    },
  );

  const cancellable = client.createFunction(
    { id: "cancellable", cancelOn: [{ event: "probe/stop", match: "data.id" }], triggers: [{ event: "probe/long" }] },
    async ({ step }) => {
      await step.sleep("long-nap", "20s");
      await step.run("after", () => bump(log, "cancellable-after"));
    },
  );

  const throttled = client.createFunction(
    { id: "throttled", throttle: { limit: 2, period: "1s" }, triggers: [{ event: "probe/throttle" }] },
    async ({ event, step }) => {
      await step.run("mark", () => log.starts.push({ fn: "throttled", key: String(event.data.i), at: Date.now() }));
    },
  );

  const keyed = client.createFunction(
    { id: "keyed", concurrency: { limit: 1, key: "event.data.key" }, triggers: [{ event: "probe/keyed" }] },
    async ({ event, step }) => {
      await step.run("work", async () => {
        const s = { fn: "keyed", key: String(event.data.key), at: Date.now(), end: 0 };
        await pause(300);
        s.end = Date.now();
        log.starts.push(s);
      });
    },
  );

  const debounced = client.createFunction(
    { id: "debounced", debounce: { period: "1s", key: "event.data.key" }, triggers: [{ event: "probe/debounce" }] },
    async ({ event }) => ({ n: event.data.n, key: event.data.key }),
  );

  const batched = client.createFunction(
    { id: "batched", batchEvents: { maxSize: 3, timeout: "1s", key: "event.data.key" }, triggers: [{ event: "probe/batch" }] },
    async ({ events }) => ({ keys: events.map((e) => e.data.key), ns: events.map((e) => e.data.n) }),
  );

  const limited = client.createFunction(
    { id: "limited", rateLimit: { limit: 1, period: "10s" }, triggers: [{ event: "probe/limited" }] },
    async ({ event }) => event.data.n,
  );

  const filtered = client.createFunction(
    { id: "filtered", triggers: [{ event: "probe/filter", if: "event.data.n > 2" }, { event: "probe/wild.*" }] },
    async ({ event }) => event.name,
  );

  const idempotent = client.createFunction(
    { id: "idempotent", idempotency: "event.data.key", triggers: [{ event: "probe/idem" }] },
    async ({ event }) => event.data.n,
  );

  const ticker = client.createFunction({ id: "ticker", triggers: [{ cron: "TZ=Europe/Paris * * * * * *" }] }, async ({ event }) => event.name);

  // Hangs on its first call (until the engine aborts it), to prove a cut-off call is retried.
  const hang = client.createFunction({ id: "hang", triggers: [{ event: "probe/hang" }] }, async ({ step }) => {
    return step.run("hang", async () => {
      if (bump(log, "hang") === 1) await new Promise(() => {});
      return "finished";
    });
  });

  // ---- flow control beyond the basics
  const span = async (fn: string, key: string, ms: number) => {
    const s = { fn, key, at: Date.now(), end: 0 };
    log.starts.push(s);
    await pause(ms);
    s.end = Date.now();
  };

  const prioritized = client.createFunction(
    { id: "prioritized", concurrency: 1, priority: { run: "event.data.p" }, triggers: [{ event: "probe/prio" }] },
    async ({ event, step }) => step.run("work", () => span("prioritized", String(event.data.name), 150)),
  );

  const singleSkip = client.createFunction(
    { id: "single-skip", singleton: { key: "event.data.k", mode: "skip" }, triggers: [{ event: "probe/single-skip" }] },
    async ({ event, step }) => {
      await step.sleep("hold", "1s");
      return event.data.n;
    },
  );

  const singleCancel = client.createFunction(
    { id: "single-cancel", singleton: { key: "event.data.k", mode: "cancel" }, triggers: [{ event: "probe/single-cancel" }] },
    async ({ event, step }) => {
      await step.sleep("hold", "1s");
      return event.data.n;
    },
  );

  // Concurrency 1 makes the second run wait in the queue longer than timeouts.start allows.
  const lateStart = client.createFunction(
    { id: "late-start", concurrency: 1, timeouts: { start: "1s" }, triggers: [{ event: "probe/late-start" }] },
    async ({ event, step }) =>
      step.run("work", async () => {
        bump(log, `late-start:${String(event.data.n)}`);
        await pause(Number(event.data.ms ?? 0));
        return event.data.n;
      }),
  );

  const slowFinish = client.createFunction(
    { id: "slow-finish", timeouts: { finish: "1s" }, triggers: [{ event: "probe/slow-finish" }] },
    async ({ step }) => {
      await step.run("before", () => bump(log, "slow-finish-before"));
      await step.sleep("too-long", "3s");
      await step.run("after", () => bump(log, "slow-finish-after"));
    },
  );

  const sharedKey = { scope: "env" as const, key: '"shared"', limit: 1 };
  const envA = client.createFunction({ id: "env-a", concurrency: sharedKey, triggers: [{ event: "probe/env" }] }, async ({ event, step }) =>
    step.run("work", () => span("env", `a${String(event.data.n)}`, 250)),
  );
  const envB = client.createFunction({ id: "env-b", concurrency: sharedKey, triggers: [{ event: "probe/env" }] }, async ({ event, step }) =>
    step.run("work", () => span("env", `b${String(event.data.n)}`, 250)),
  );

  const dual = client.createFunction(
    {
      id: "dual",
      concurrency: [
        { scope: "account", key: '"acct"', limit: 2 },
        { key: "event.data.k", limit: 1 },
      ],
      triggers: [{ event: "probe/dual" }],
    },
    async ({ event, step }) => step.run("work", () => span("dual", String(event.data.k), 250)),
  );

  const bursty = client.createFunction(
    { id: "bursty", throttle: { limit: 1, period: "1s", burst: 2 }, triggers: [{ event: "probe/bursty" }] },
    async ({ event }) => event.data.i,
  );

  const debounceMax = client.createFunction(
    { id: "debounce-max", debounce: { period: "1s", timeout: "2s" }, triggers: [{ event: "probe/debounce-max" }] },
    async ({ event }) => event.data.n,
  );

  const condBatch = client.createFunction(
    { id: "cond-batch", batchEvents: { maxSize: 2, timeout: "1s", if: "event.data.vip == true" }, triggers: [{ event: "probe/cond-batch" }] },
    async ({ events }) => events.map((e) => e.data.n),
  );

  const fanout = client.createFunction({ id: "fanout", triggers: [{ event: "probe/fanout" }] }, async ({ event, step }) => {
    const n = Number(event.data.n);
    await step.sendEvent("fan", Array.from({ length: n }, (_, i) => ({ name: "probe/fan.item", data: { i } })));
    return n;
  });
  const fanItem = client.createFunction({ id: "fan-item", triggers: [{ event: "probe/fan.item" }] }, async ({ event }) => event.data.i);

  // Always throws an ordinary (retriable) error: fails once its retries are spent.
  const exhausted = client.createFunction(
    {
      id: "exhausted",
      retries: 1,
      triggers: [{ event: "probe/exhausted" }],
      onFailure: async ({ event, error }) => {
        log.failures.push({ functionId: event.data.function_id, runId: event.data.run_id, message: error.message });
      },
    },
    async ({ step }) => {
      await step.run("break", () => {
        bump(log, "exhausted");
        throw new Error("always broken");
      });
    },
  );

  // Campaign-shaped fan-out: one shared slot (the function's own limit) over per-workspace lanes.
  const fairShared = client.createFunction(
    { id: "fair-shared", concurrency: [{ limit: 1 }, { key: "event.data.ws", limit: 1 }], triggers: [{ event: "probe/fair" }] },
    async ({ event, step }) => step.run("work", () => span("fair", String(event.data.ws), 30)),
  );
  // Chunk runs throttled per provider account (shared by workspaces), limited per workspace.
  const fairThrottled = client.createFunction(
    {
      id: "fair-throttled",
      throttle: { key: "event.data.account", limit: 1, period: "1s" },
      concurrency: [{ key: "event.data.ws", limit: 2 }],
      triggers: [{ event: "probe/fair-throttled" }],
    },
    async ({ event }) => event.data.ws,
  );
  const paced = client.createFunction(
    { id: "paced", throttle: { limit: 1, period: "1s" }, triggers: [{ event: "probe/paced" }] },
    async ({ event }) => event.data.i,
  );

  const functions = [
    fairShared, fairThrottled, paced,
    prioritized, singleSkip, singleCancel, lateStart, slowFinish, envA, envB, dual, bursty, debounceMax, condBatch,
    fanout, fanItem, exhausted,
    hang,
    hello, sleeper, waiter, sender, invokee, invoker, parallel, flaky, doomed, cancellable,
    throttled, keyed, debounced, batched, limited, filtered, idempotent,
    // A cron firing every second would add runs to every test, so only the cron test serves it.
    ...(opts.cron ? [ticker] : []),
  ];
  // A spec's own functions alone: its assertions see no other function's runs.
  const served = opts.functions ? opts.functions(client, log) : functions;
  const handler = serve({ client, functions: served });
  return { client, functions: served, handler: handler as (req: Request) => Promise<Response>, log };
}

export const PROBE_URL = "http://127.0.0.1:9/api/inngest";
