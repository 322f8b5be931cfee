import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/v1/inbox/secret/route";
import type { Database } from "@/db";
import { eq } from "drizzle-orm";
import { auditLog } from "@/db/schema";
import { authorizeInbox } from "@/lib/inbox/authorize-inbox";
import { mintInboxToken } from "@/lib/inbox/inbox-token";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let apiKey: string;
let workspaceId: string;
let otherKey: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Secret" }));
  ({ apiKey: otherKey } = await createWorkspace(database.db, { name: "Other" }));
});
afterAll(() => database.close());

const contactId = "0193a5c0-1111-7000-8000-000000000001";

describe("/api/v1/inbox/secret", () => {
  it("creates the secret on first read and answers the same one after", async () => {
    const first = await callRoute(GET, { path: "/api/v1/inbox/secret", apiKey });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ secret: expect.stringMatching(/^inbox_sk_/), tokenAlgorithm: "hex(hmac_sha256(secret, contactId))", rotatedAt: null });
    expect((await callRoute(GET, { path: "/api/v1/inbox/secret", apiKey })).body.secret).toBe(first.body.secret);
    expect((await callRoute(GET, { path: "/api/v1/inbox/secret", apiKey: otherKey })).body.secret).not.toBe(first.body.secret);
  });

  it("rotates it: tokens minted with the old secret stop working, new ones work, and the change is audited", async () => {
    const old = (await callRoute(GET, { path: "/api/v1/inbox/secret", apiKey })).body.secret as string;
    const oldToken = mintInboxToken(old, contactId);
    expect(await authorizeInbox(database.db, { workspaceId, contactId, token: oldToken })).toEqual({ workspaceId, contactId });

    const rotated = await callRoute(POST, { method: "POST", path: "/api/v1/inbox/secret", apiKey });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(old);
    expect(rotated.body.rotatedAt).not.toBeNull();
    expect(await authorizeInbox(database.db, { workspaceId, contactId, token: oldToken })).toBeNull();
    expect(await authorizeInbox(database.db, { workspaceId, contactId, token: mintInboxToken(rotated.body.secret, contactId) })).not.toBeNull();
    const audit = await database.db.select().from(auditLog).where(eq(auditLog.workspaceId, workspaceId));
    expect(audit.map((entry) => entry.action)).toContain("inbox.secret_rotated");
  });

  it("needs an API key", async () => {
    expect((await callRoute(GET, { path: "/api/v1/inbox/secret" })).status).toBe(401);
    expect((await callRoute(POST, { method: "POST", path: "/api/v1/inbox/secret" })).status).toBe(401);
  });
});
