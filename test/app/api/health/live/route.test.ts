import { afterEach, describe, expect, it } from "vitest";
import { type Database, openDatabase, setDatabase } from "@/db";
import { GET } from "@/app/api/health/live/route";

afterEach(() => setDatabase(undefined));

describe("GET /api/health/live", () => {
  it("answers 200 without touching the database, even when it is down", async () => {
    const closed: Database = openDatabase({ url: "postgres://nobody@127.0.0.1:1/none" });
    setDatabase(closed);
    const response = GET();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "ok" });
    await closed.close();
  });
});
