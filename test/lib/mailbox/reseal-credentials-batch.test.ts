import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { insertMailboxConnection } from "@/db/queries/mailbox-connections";
import { sealMailboxCredentials } from "@/lib/mailbox/mailbox-credentials";
import { resealCredentialsBatch } from "@/lib/mailbox/reseal-credentials-batch";
import { secretKeys } from "@/lib/security/secret-box";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { createTestDatabase } from "@/test/support/database";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe("resealCredentialsBatch", () => {
  it("walks the connections in id order, a batch at a time, and says where the next batch starts", async () => {
    const old = secretKeys({ ENCRYPTION_KEYS: Buffer.alloc(32, 1).toString("base64") });
    const rotated = secretKeys({ ENCRYPTION_KEYS: `${Buffer.alloc(32, 2).toString("base64")},${Buffer.alloc(32, 1).toString("base64")}` });
    const { workspace } = await createWorkspace(database.db, { name: "Batches" });
    for (let n = 0; n < 3; n++) {
      const id = crypto.randomUUID();
      await insertMailboxConnection(database.db, { id, workspaceId: workspace.id, kind: "imap", label: `m${n}`, ownerAddresses: [], storeBodies: false, ...sealMailboxCredentials(id, `pw${n}`, old) });
    }
    const first = await resealCredentialsBatch(database.db, { after: null, limit: 2, keys: rotated });
    expect(first).toMatchObject({ resealed: 2, unopenable: 0 });
    expect(first.next).not.toBeNull();
    expect(await resealCredentialsBatch(database.db, { after: first.next, limit: 2, keys: rotated })).toEqual({ resealed: 1, unopenable: 0, next: null });
    expect(await resealCredentialsBatch(database.db, { after: null, limit: 2, keys: rotated })).toEqual({ resealed: 0, unopenable: 0, next: null });
  });
});
