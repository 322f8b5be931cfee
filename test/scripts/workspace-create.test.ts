import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "@/db";
import { advertiseEmbeddedServer, withdrawEmbeddedServer } from "@/db/embedded-server";
import { servePglite } from "@/db/pglite-wire-server";
import { authenticate } from "@/lib/api/authenticate";

const run = promisify(execFile);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-ws-"));
// No DATABASE_URL: the CLI must find the embedded database on its own.
const { DATABASE_URL: _ignored, ...inherited } = process.env;
const env = { ...inherited, SENDLINE_DATA_DIR: dataDir };

async function createWorkspaceCli(...args: string[]) {
  const { stdout } = await run("node_modules/.bin/tsx", ["scripts/workspace-create.ts", ...args], { env });
  return stdout.trim();
}

async function keyWorks(apiKey: string, workspaceId: string, database: Database) {
  const request = new Request("http://localhost/", { headers: { authorization: `Bearer ${apiKey}` } });
  const principal = await authenticate(database.db, request);
  return principal !== null && "workspaceId" in principal && principal.workspaceId === workspaceId;
}

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

// Each case starts a process that boots PGlite: allow for a busy machine.
const PROCESS_TEST_TIMEOUT_MS = 120_000;

describe("npm run workspace:create", () => {
  it("creates a workspace on the embedded database when nothing else has it open", async () => {
    const { workspaceId, apiKey } = JSON.parse(await createWorkspaceCli("--name", "Offline", "--json"));
    const database = openDatabase({ pgliteDir: path.join(dataDir, "pglite") });
    try {
      expect(await keyWorks(apiKey, workspaceId, database)).toBe(true);
    } finally {
      await database.close();
    }
  }, PROCESS_TEST_TIMEOUT_MS);

  it("goes through the running dev server's database instead of opening the files twice", async () => {
    const database = openDatabase({ pgliteDir: path.join(dataDir, "pglite") });
    const server = await servePglite(database.pglite!, { host: "127.0.0.1", port: 0 });
    const previous = process.env.SENDLINE_DATA_DIR;
    process.env.SENDLINE_DATA_DIR = dataDir;
    advertiseEmbeddedServer({ pid: process.pid, url: server.url, dir: path.join(dataDir, "pglite") });
    try {
      const { workspaceId, apiKey } = JSON.parse(await createWorkspaceCli("--name", "Online", "--json"));
      expect(await keyWorks(apiKey, workspaceId, database)).toBe(true);
    } finally {
      withdrawEmbeddedServer(process.pid);
      process.env.SENDLINE_DATA_DIR = previous;
      await server.close();
      await database.close();
    }
  }, PROCESS_TEST_TIMEOUT_MS);

  it("prints usage and exits 2 without a name", async () => {
    await expect(createWorkspaceCli("--json")).rejects.toMatchObject({ code: 2 });
  }, PROCESS_TEST_TIMEOUT_MS);
});
