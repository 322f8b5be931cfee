import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { admitProviderCall, listProviderBreakers, recordProviderFailure, recordProviderSuccess } from "@/db/queries/provider-breakers";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
beforeAll(async () => {
  database = await useTestDatabase();
});
afterAll(() => database.close());

const settings = { failures: 3, windowMs: 60_000, coolDownMs: 300 };
const fail = (key: string, s = settings) => recordProviderFailure(database.db, { key, settings: s, error: "resend: 500" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("provider breakers", () => {
  it("admits calls to a provider it has never seen", async () => {
    expect(await admitProviderCall(database.db, { key: "email:new", coolDownMs: 1_000 })).toBe("closed");
  });

  it("opens after N failures within the window, counting concurrent failures once each", async () => {
    const results = await Promise.all([fail("email:a"), fail("email:a"), fail("email:a"), fail("email:a")]);
    expect(results.filter((result) => result.opened)).toHaveLength(1);
    const [row] = await listProviderBreakers(database.db, { keys: ["email:a"] });
    expect(row).toMatchObject({ state: "open", lastError: "resend: 500" });
    expect(await admitProviderCall(database.db, { key: "email:a", coolDownMs: 60_000 })).toBe("open");
  });

  it("starts the count over once the window has passed", async () => {
    const short = { ...settings, windowMs: 100 };
    await fail("email:b", short);
    await fail("email:b", short);
    await sleep(150);
    expect(await fail("email:b", short)).toMatchObject({ state: "closed", failures: 1, opened: false });
  });

  it("half-opens for exactly one trial after the cool-down; its success closes the breaker", async () => {
    for (let i = 0; i < 3; i++) await fail("email:c");
    await sleep(settings.coolDownMs + 50);
    const admissions = await Promise.all(Array.from({ length: 5 }, () => admitProviderCall(database.db, { key: "email:c", coolDownMs: settings.coolDownMs })));
    expect(admissions.filter((admission) => admission === "trial")).toHaveLength(1);
    expect(admissions.filter((admission) => admission === "open")).toHaveLength(4);
    expect(await recordProviderSuccess(database.db, { key: "email:c" })).toBe(true);
    expect(await recordProviderSuccess(database.db, { key: "email:c" })).toBe(false);
    expect(await admitProviderCall(database.db, { key: "email:c", coolDownMs: settings.coolDownMs })).toBe("closed");
    const [row] = await listProviderBreakers(database.db, { keys: ["email:c"] });
    expect(row).toMatchObject({ state: "closed", failures: 0, openedAt: null });
  });

  it("re-opens with a fresh cool-down when the trial fails", async () => {
    for (let i = 0; i < 3; i++) await fail("email:d");
    await sleep(settings.coolDownMs + 50);
    expect(await admitProviderCall(database.db, { key: "email:d", coolDownMs: settings.coolDownMs })).toBe("trial");
    expect(await fail("email:d")).toMatchObject({ state: "open", opened: true });
    expect(await admitProviderCall(database.db, { key: "email:d", coolDownMs: settings.coolDownMs })).toBe("open");
  });

  it("gives a lost trial (its process died) to a later caller after another cool-down", async () => {
    for (let i = 0; i < 3; i++) await fail("email:e");
    await sleep(settings.coolDownMs + 50);
    expect(await admitProviderCall(database.db, { key: "email:e", coolDownMs: settings.coolDownMs })).toBe("trial");
    expect(await admitProviderCall(database.db, { key: "email:e", coolDownMs: settings.coolDownMs })).toBe("open");
    await sleep(settings.coolDownMs + 50);
    expect(await admitProviderCall(database.db, { key: "email:e", coolDownMs: settings.coolDownMs })).toBe("trial");
  });
});
