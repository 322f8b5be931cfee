import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { apiRoute } from "@/lib/api/route";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { collectLogLines } from "@/test/support/log-lines";

let database: Database;
let apiKey: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey } = await createWorkspace(database.db, { name: "Route" }));
});
afterAll(() => database.close());

describe("apiRoute", () => {
  it("answers a database error with a 500 that names an error id, never the SQL; the log has the detail under that id", async () => {
    const logs = collectLogLines();
    const route = apiRoute(async ({ db }) => {
      await db.execute(sql`insert into no_such_table (secret) values (${"p4ssw0rd-param"})`);
      return new Response(null, { status: 204 });
    });
    const response = await callRoute(route, { method: "POST", path: "/api/v1/anything", apiKey });
    expect(response.status).toBe(500);
    expect(response.body.error.code).toBe("internal_error");
    expect(response.body.error.message).toMatch(/^Internal error \(id [0-9a-f]{12}\): something went wrong on our side$/);
    expect(JSON.stringify(response.body)).not.toMatch(/no_such_table|insert|p4ssw0rd/i);
    const errorId = /id ([0-9a-f]{12})/.exec(response.body.error.message)![1];
    logs.stop();
    const [line] = logs.lines();
    expect(line).toMatchObject({ level: "error", errorId, where: "api", method: "POST", path: "/api/v1/anything" });
    expect(JSON.stringify(line)).toContain("no_such_table");
  });
});
