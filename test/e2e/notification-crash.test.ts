import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeResend, startFakeResend } from "@/test/fakes/fake-resend";
import { freePort } from "@/test/support/free-port";
import { waitFor } from "@/test/support/app-engine";

/**
 * kill -9 mid-burst, end to end: the engine and the app run in a child process, as one
 * `npm run dev` would; a burst of notifications is posted to it, and once the provider has taken
 * part of the burst the process is killed with SIGKILL — no shutdown code, calls cut off
 * wherever they were. A new process on the same databases must send every accepted
 * notification, and none twice.
 */
const MESSAGES = 300;
const PROVIDER_RPS = 1;

let resend: FakeResend;
let child: ChildProcess | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-crash-"));
let app: string;
let engine: string;
let dropDatabase = async () => {};

beforeAll(async () => {
  resend = await startFakeResend({ rateLimit: { requests: PROVIDER_RPS, windowMs: 1_000 } });
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `crash_${randomBytes(5).toString("hex")}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    app = url.toString();
    engine = `${url.toString()}#inngest_engine`;
    dropDatabase = async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end({ timeout: 2 });
    };
  } else {
    app = path.join(dir, "app");
    engine = path.join(dir, "engine");
  }
});
afterAll(async () => {
  child?.kill("SIGKILL");
  await resend?.stop();
  await dropDatabase();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function startApp(enginePort: number): Promise<{ apiUrl: string; apiKey?: string }> {
  const started = spawn(process.execPath, ["--import", "tsx", "test/support/app-process.ts"], {
    env: {
      ...process.env,
      APP_PROCESS_APP: app,
      APP_PROCESS_ENGINE: engine,
      APP_PROCESS_ENGINE_PORT: String(enginePort),
      RESEND_API_KEY: resend.apiKey,
      RESEND_BASE_URL: resend.url,
      EMAIL_PROVIDER_RPS: String(PROVIDER_RPS),
      LOG_LEVEL: "silent",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  child = started;
  return new Promise((resolve, reject) => {
    let out = "";
    started.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n").find((l) => l.startsWith("APP_PROCESS_READY "));
      if (line) resolve(JSON.parse(line.slice("APP_PROCESS_READY ".length)));
    });
    started.once("exit", (code) => reject(new Error(`app process exited (${code}) before it was ready: ${out}`)));
  });
}

describe("a burst of notifications and a kill -9", () => {
  it("sends every accepted notification exactly once after the process is killed mid-burst and started again", { timeout: 180_000 }, async () => {
    const enginePort = await freePort();
    const first = await startApp(enginePort);
    const apiKey = first.apiKey!;
    const post = async (apiUrl: string, n: number) => {
      const response = await fetch(apiUrl, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ messageId: `crash-${n}`, channel: "email", to: `user${n}@example.com`, subject: "Code", body: `<p>${n}</p>` }),
      }).catch(() => undefined);
      return response?.status === 202;
    };

    const accepted = new Set<number>();
    let next = 0;
    const posting = Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let n = next++; n < MESSAGES; n = next++) if (await post(first.apiUrl, n)) accepted.add(n);
      }),
    );
    // Part of the burst is with the provider, the rest queued or in flight: kill.
    await waitFor(async () => resend.emails.length, (count) => count >= 100, 60_000);
    child!.kill("SIGKILL");
    await posting;
    const atKill = resend.emails.length;
    console.log(`killed with ${atKill} of ${MESSAGES} emails at the provider, ${accepted.size} notifications accepted`);
    expect(atKill).toBeLessThan(MESSAGES);

    // The same process again on the same state; a client retries what was not accepted.
    const second = await startApp(enginePort);
    for (let n = 0; n < MESSAGES; n++) if (!accepted.has(n) && (await post(second.apiUrl, n))) accepted.add(n);
    expect(accepted.size).toBe(MESSAGES);

    try {
      await waitFor(async () => new Set(resend.emails.flatMap((email) => email.to)).size, (count) => count === MESSAGES, 120_000);
    } catch (error) {
      if (process.env.TEST_DATABASE_URL) {
        const sql = postgres(app, { max: 1, onnotice: () => {} });
        console.log(await sql`select status, count(*)::int, count(send_key)::int as keyed from messages group by 1`);
        console.log(await sql.unsafe(`select status, count(*)::int from inngest_engine.runs group by 1`));
        console.log(await sql.unsafe(`select kind, count(*)::int from inngest_engine.jobs group by 1`));
        console.log(await sql.unsafe(`select kind, key, jsonb_array_length(value->'events') as n from inngest_engine.flow`));
        await sql.end();
      }
      throw error;
    }
    expect(resend.duplicateSends()).toEqual([]);
    expect(resend.emails).toHaveLength(MESSAGES);
    const listed = await fetch(`${second.apiUrl}?limit=100&status=sent`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(listed.status).toBe(200);
  });
});
