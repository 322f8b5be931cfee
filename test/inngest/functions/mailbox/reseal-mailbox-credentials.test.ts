import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { getMailboxConnection, insertMailboxConnection } from "@/db/queries/mailbox-connections";
import { openMailboxCredentials, sealMailboxCredentials } from "@/lib/mailbox/mailbox-credentials";
import { secretKeys } from "@/lib/security/secret-box";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

const { resealMailboxCredentials } = await import("@/inngest/functions/mailbox/reseal-mailbox-credentials");

const OLD = Buffer.alloc(32, 1).toString("base64");
const NEW = Buffer.alloc(32, 2).toString("base64");
const GONE = Buffer.alloc(32, 3).toString("base64");

let database: Database;
let workspaceId: string;
beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Rotation" }));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await database.close();
});

async function sealedConnection(password: string, keys: string) {
  const id = crypto.randomUUID();
  await insertMailboxConnection(database.db, {
    id,
    workspaceId,
    kind: "imap",
    label: password,
    ownerAddresses: [],
    storeBodies: false,
    settings: { kind: "imap", host: "127.0.0.1", port: 143, secure: false, user: "u", folders: ["INBOX"] },
    ...sealMailboxCredentials(id, password, secretKeys({ ENCRYPTION_KEYS: keys })),
  });
  return { workspaceId, connectionId: id };
}

const run = () => new InngestTestEngine({ function: resealMailboxCredentials }).execute({ events: [{ name: "inngest/scheduled.timer", data: { cron: "TZ=UTC 45 3 * * *" } } as never] });

describe("reseal-mailbox-credentials", () => {
  it("re-seals every connection sealed with an older key under the newest, leaves what no key opens, and finds nothing the next day", async () => {
    const old = await Promise.all(["pw-1", "pw-2", "pw-3"].map((password) => sealedConnection(password, OLD)));
    const current = await sealedConnection("pw-new", NEW);
    const lost = await sealedConnection("pw-lost", GONE);
    vi.stubEnv("ENCRYPTION_KEYS", `${NEW},${OLD}`);

    const { result } = await run();
    expect(result).toEqual({ resealed: 3, unopenable: 1 });
    const onlyNew = secretKeys({ ENCRYPTION_KEYS: NEW });
    for (const [index, ids] of old.entries()) {
      const row = (await getMailboxConnection(database.db, ids))!;
      expect(row.credentialsKeyId).toBe(onlyNew.keys[0]!.id);
      expect(openMailboxCredentials(row, onlyNew)).toBe(`pw-${index + 1}`);
    }
    expect(openMailboxCredentials((await getMailboxConnection(database.db, current))!, onlyNew)).toBe("pw-new");
    expect((await getMailboxConnection(database.db, lost))!.credentialsKeyId).toBe(secretKeys({ ENCRYPTION_KEYS: GONE }).keys[0]!.id);

    // The old key can now leave: nothing but the unopenable value is left to re-seal.
    vi.stubEnv("ENCRYPTION_KEYS", NEW);
    expect((await run()).result).toEqual({ resealed: 0, unopenable: 1 });
  });
});
