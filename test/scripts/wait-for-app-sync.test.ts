import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EngineApp, notSyncedReason, waitForAppSync } from "@/scripts/wait-for-app-sync";
import { startAppEngine } from "@/test/support/app-engine";
import { freePort } from "@/test/support/free-port";

/** The serve URL test/support/app-engine.ts has its engine sync. */
const APP_URL = "http://127.0.0.1:3000/api/inngest";

let app: Awaited<ReturnType<typeof startAppEngine>>;
beforeAll(async () => {
  app = await startAppEngine({ sync: false });
});
afterAll(async () => {
  await app?.stop();
});

/** Settles with "waiting" if `promise` has not settled after `ms`. */
const within = <T>(promise: Promise<T>, ms: number) => Promise.race([promise, new Promise<"waiting">((resolve) => setTimeout(() => resolve("waiting"), ms))]);

describe("notSyncedReason", () => {
  const app = (over: Partial<EngineApp>): EngineApp => ({ url: APP_URL, app_id: "sendline", synced_at: 2_000, error: null, functions: 11, ...over });
  it.each([
    ["no app yet", [], /has not reached/],
    ["a sync from before this start", [app({ synced_at: 500 })], /has not reached/],
    ["a failed sync", [app({ error: "sync failed: HTTP 500" })], /last sync failed: sync failed: HTTP 500/],
    ["a sync with no functions", [app({ functions: 0 })], /registered no functions/],
    ["another app only", [app({ url: "http://127.0.0.1:4000/api/inngest" })], /has not reached/],
    ["this app, synced since, with functions", [app({})], null],
  ])("%s", (_name, apps, expected) => {
    const reason = notSyncedReason(apps, APP_URL, 1_000);
    if (expected === null) expect(reason).toBeNull();
    else expect(reason).toMatch(expected);
  });
});

describe("waitForAppSync against a real engine", () => {
  it("waits, saying why, until the engine's first sync of the app, then returns the app", async () => {
    const reasons: string[] = [];
    const waiting = waitForAppSync({ engineUrl: app.url, appUrl: APP_URL, since: Date.now(), pollMs: 50, onWaiting: (r) => reasons.push(r) });
    expect(await within(waiting, 500)).toBe("waiting");
    expect(reasons).toEqual([`the engine has not reached ${APP_URL} yet (Next compiles it on first use)`]);

    await app.engine.sync();
    const synced = await waiting;
    expect(synced).toMatchObject({ url: APP_URL, app_id: "sendline", error: null, functions: expect.any(Number) });
    expect(synced.functions).toBeGreaterThan(5);
  });

  it("does not take a sync kept from an earlier run of the engine for this run's", async () => {
    const since = Date.now() + 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const waiting = waitForAppSync({ engineUrl: app.url, appUrl: APP_URL, since, pollMs: 50 });
    expect(await within(waiting, 300)).toBe("waiting");
    await app.engine.sync();
    expect((await waiting).synced_at).toBeGreaterThanOrEqual(since);
  });

  it("keeps waiting while the engine itself is not up, and can be stopped", async () => {
    const reasons: string[] = [];
    const stop = new AbortController();
    const waiting = waitForAppSync({ engineUrl: `http://127.0.0.1:${await freePort()}`, appUrl: APP_URL, since: 0, pollMs: 50, onWaiting: (r) => reasons.push(r), signal: stop.signal });
    expect(await within(waiting, 300)).toBe("waiting");
    expect(reasons[0]).toMatch(/is not answering yet/);
    stop.abort();
    await expect(waiting).rejects.toThrow();
  });
});
