import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servePglite } from "@/db/pglite-wire-server";

let pglite: PGlite;
let server: Awaited<ReturnType<typeof servePglite>>;
const clients: postgres.Sql[] = [];

const connect = (max = 4) => {
  const sql = postgres(server.url, { max, prepare: false, onnotice: () => {} });
  clients.push(sql);
  return sql;
};

beforeAll(async () => {
  pglite = new PGlite("memory://");
  await pglite.exec("create table counters (id int primary key, n int not null); insert into counters values (1, 0);");
  server = await servePglite(pglite, { host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await Promise.all(clients.map((sql) => sql.end({ timeout: 1 })));
  await server.close();
  await pglite.close();
});

describe("servePglite", () => {
  it("keeps each client's parameters with its own statement under heavy concurrency", async () => {
    const [a, b] = [connect(), connect()];
    const queries = Array.from({ length: 300 }, (_, i) =>
      i % 2
        ? a`select ${i}::int as n, ${`text-${i}`}::text as t`.then(([row]) => expect(row).toEqual({ n: i, t: `text-${i}` }))
        : b`select ${new Date(Date.UTC(2020, 0, 1 + (i % 28)))}::timestamptz as at, ${i}::int as n`.then(([row]) =>
            expect(row).toEqual({ at: new Date(Date.UTC(2020, 0, 1 + (i % 28))), n: i }),
          ),
    );
    await Promise.all(queries);
  });

  it("isolates transactions: concurrent increments all land", async () => {
    const [a, b] = [connect(), connect()];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? a : b).begin(async (tx) => {
          const [row] = await tx`select n from counters where id = 1`;
          await tx`update counters set n = ${row!.n + 1} where id = 1`;
        }),
      ),
    );
    const [row] = await connect(1)`select n from counters where id = 1`;
    expect(row!.n).toBe(40);
  });

  it("rolls back and unlocks when a client disappears mid-transaction", async () => {
    const doomed = postgres(server.url, { max: 1, prepare: false, onnotice: () => {} });
    const reserved = await doomed.reserve();
    await reserved`begin`;
    await reserved`update counters set n = -1 where id = 1`;
    await doomed.end({ timeout: 0 });
    const [row] = await connect(1)`select n from counters where id = 1`;
    expect(row!.n).toBe(40);
  });

  it("reports errors to the client that caused them and carries on", async () => {
    const sql = connect(1);
    await expect(sql`select * from no_such_table`).rejects.toThrow(/no_such_table/);
    const [row] = await sql`select 1 as ok`;
    expect(row!.ok).toBe(1);
  });
});
