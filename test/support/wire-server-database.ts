import { PGlite } from "@electric-sql/pglite";
import { type Database, openDatabase } from "@/db";
import { advertiseEmbeddedServer, withdrawEmbeddedServer } from "@/db/embedded-server";
import { servePglite } from "@/db/pglite-wire-server";

/**
 * A fresh, migrated database reached the way `npm run dev` reaches it: an in-memory PGlite
 * served over the Postgres wire protocol and found through the advertised server file (so its
 * kind is "pglite-server", with that kind's own staging path). SENDLINE_DATA_DIR must point at
 * a throwaway directory: the advertisement is written there.
 */
export async function createWireServerDatabase(): Promise<Database> {
  const pglite = new PGlite("memory://");
  const server = await servePglite(pglite, { host: "127.0.0.1", port: 0 });
  advertiseEmbeddedServer({ pid: process.pid, url: server.url, dir: "memory://" });
  const database = openDatabase();
  if (database.kind !== "pglite-server") throw new Error(`expected the embedded wire server, got ${database.kind}`);
  await database.migrate();
  return {
    ...database,
    async close() {
      await database.close();
      withdrawEmbeddedServer(process.pid);
      await server.close();
      await pglite.close();
    },
  };
}
