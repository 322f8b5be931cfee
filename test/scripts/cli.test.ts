import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db";
import { schemaVersion } from "@/db/queries/schema-version";

const run = promisify(execFile);
const PROCESS_TEST_TIMEOUT_MS = 120_000;

// The production path: scripts compiled as `npm run build` does, run with plain node and no tsx on the module path.
// Inside the project, as dist/cli/ is: the database drivers stay external and resolve from node_modules/.
const outdir = path.resolve("dist", `cli-test-${process.pid}`);
const { DATABASE_URL: _ignored, NODE_OPTIONS: _options, ...inherited } = process.env;
const productionEnv = { ...inherited, NODE_ENV: "production" } as NodeJS.ProcessEnv;

beforeAll(async () => {
  await run(process.execPath, ["scripts/build-cli.mjs", outdir]);
}, PROCESS_TEST_TIMEOUT_MS);
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

const compiled = (name: string) => path.join(outdir, `${name}.mjs`);

describe("the operator scripts compiled for production", () => {
  it("refuse to fall back to the embedded database without DATABASE_URL", async () => {
    const failure = await run(process.execPath, [compiled("db-migrate")], { env: productionEnv }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining("DATABASE_URL is not set: production never falls back to the embedded database") });
  }, PROCESS_TEST_TIMEOUT_MS);

  it.runIf(process.env.TEST_DATABASE_URL)(
    "migrate a fresh PostgreSQL database to the code's schema and create a workspace on it",
    async () => {
      const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
      const name = `sendline_cli_${process.pid}_${Date.now()}`;
      await admin.unsafe(`create database ${name}`);
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${name}`;
      try {
        const env = { ...productionEnv, DATABASE_URL: url.toString() };
        expect((await run(process.execPath, [compiled("db-migrate")], { env })).stdout).toContain("Migrations applied (postgres).");
        const { stdout } = await run(process.execPath, [compiled("workspace-create"), "--name", "Compiled", "--json"], { env });
        expect(JSON.parse(stdout)).toMatchObject({ workspaceId: expect.any(String), apiKey: expect.stringMatching(/^sl_/) });
        const database = openDatabase({ url: url.toString() });
        try {
          expect((await schemaVersion(database.db)).pending).toEqual([]);
        } finally {
          await database.close();
        }
      } finally {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});
