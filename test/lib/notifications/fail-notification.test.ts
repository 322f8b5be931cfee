import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { recordMessageAttempts } from "@/db/queries/message-attempts";
import { advanceMessageStatus, findMessageById, insertMessage } from "@/db/queries/messages";
import { attemptErrorMessage } from "@/lib/notifications/attempt-error";
import { failNotification } from "@/lib/notifications/fail-notification";
import { ProviderError } from "@/lib/providers/errors";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;
let n = 0;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Fail" }));
});
afterAll(() => database.close());

const queued = async () =>
  (await insertMessage(database.db, { workspaceId, idempotencyKey: `fail-${++n}`, channel: "email", recipient: "a@example.com", request: { data: {} } })).row;

describe("failNotification (send-notification gave up)", () => {
  it("dead-letters a message still queued, with the last failed attempt as its reason", async () => {
    const row = await queued();
    await recordMessageAttempts(database.db, [
      { workspaceId, messageId: row.id, provider: "resend", outcome: "failed", error: "resend: down (HTTP 502)", attempt: 1 },
      { workspaceId, messageId: row.id, provider: "resend", outcome: "failed", error: "resend: request timed out", attempt: 2 },
    ]);
    await failNotification(database.db, { workspaceId, messageId: row.id }, new Error("whatever the run says"));
    expect(await findMessageById(database.db, { messageId: row.id })).toMatchObject({
      status: "failed",
      deadLetteredAt: expect.any(Date),
      error: "Gave up after 2 failed attempts; the last: resend: request timed out",
    });
  });

  it("dead-letters a message no provider was reached for with the run's error in its own words", async () => {
    const row = await queued();
    await failNotification(database.db, { workspaceId, messageId: row.id }, { name: "ConfigError", message: "Resend needs RESEND_API_KEY" });
    expect(await findMessageById(database.db, { messageId: row.id })).toMatchObject({ status: "failed", deadLetteredAt: expect.any(Date), error: "Resend needs RESEND_API_KEY" });
  });

  it("leaves a message refused for good a plain failure", async () => {
    const row = await queued();
    await advanceMessageStatus(database.db, { workspaceId, messageId: row.id, to: "failed", set: { error: "resend: Invalid address" } });
    await failNotification(database.db, { workspaceId, messageId: row.id }, new Error("refused"));
    expect(await findMessageById(database.db, { messageId: row.id })).toMatchObject({ status: "failed", deadLetteredAt: null, error: "resend: Invalid address" });
  });
});

describe("attemptErrorMessage", () => {
  it.each([
    [new ProviderError("resend: Internal server error", "transient", { provider: "resend", status: 500 }), "resend: Internal server error (HTTP 500)"],
    [new ProviderError("resend: request timed out", "transient", { provider: "resend", code: "timeout" }), "resend: request timed out"],
    [new ProviderError("twilio: connect ECONNREFUSED 10.0.0.7:443", "transient", { provider: "twilio", code: "network" }), "twilio: could not be reached"],
    [new ProviderError("resend: Too many requests", "rate-limited", { provider: "resend", status: 429 }), "resend: Too many requests"],
    [new ProviderError("resend: Invalid `to` field", "permanent", { provider: "resend", status: 422 }), "resend: Invalid `to` field"],
  ])("words %s for the history", (error, expected) => {
    expect(attemptErrorMessage(error)).toBe(expected);
  });

  it("hides anything else behind an error id", () => {
    expect(attemptErrorMessage(new Error("relation messages does not exist"))).toMatch(/^Internal error \(id [0-9a-f]{12}\)$/);
  });
});
