import { NonRetriableError } from "inngest";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { getCampaign } from "@/db/queries/campaigns";
import { findMessageById, insertMessage } from "@/db/queries/messages";
import { ConfigError } from "@/core/config/env";
import { failCampaignStart } from "@/lib/campaigns/fail-campaign-start";
import { PublicError, publicErrorMessage } from "@/lib/errors/public-error-message";
import { ImportFileError } from "@/core/imports/import-file-error";
import { failNotification } from "@/lib/notifications/fail-notification";
import { ProviderError } from "@/lib/providers/errors";
import { s3StorageError } from "@/lib/storage/s3/s3-storage-error";
import { TemplateError } from "@/lib/templates/template-error";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { insertCampaign } from "@/db/queries/campaigns";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";
import { collectLogLines } from "@/test/support/log-lines";

let database: Database;
let workspaceId: string;
const INTERNAL = /^Internal error \(id ([0-9a-f]{12})\)$/;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Errors" }));
});
afterAll(() => database.close());
let logs: ReturnType<typeof collectLogLines>;
beforeEach(() => {
  logs = collectLogLines();
});
afterEach(() => {
  logs.stop();
});

/** A real error from the database, carrying its SQL and parameters, as drizzle throws it. */
async function databaseError(): Promise<unknown> {
  return database.db.execute(sql`select secret_column from no_such_table where token = ${"p4ssw0rd-param"}`).then(
    () => {
      throw new Error("expected the query to fail");
    },
    (error: unknown) => error,
  );
}

describe("publicErrorMessage", () => {
  it("turns a database error into a plain message with an id, and logs the SQL under the same id", async () => {
    const error = await databaseError();
    const message = publicErrorMessage(error, { where: "test" });
    expect(message).toMatch(INTERNAL);
    expect(message).not.toMatch(/select|no_such_table|p4ssw0rd/i);
    const [line] = logs.lines();
    expect(line).toMatchObject({ level: "error", errorId: INTERNAL.exec(message)![1], where: "test" });
    expect(JSON.stringify(line)).toContain("no_such_table");
  });

  it.each([
    ["a template error", new TemplateError({ part: "body", line: 2, kind: "undefined_variable", variable: "x", detail: "template variable `x` is undefined" }), "template variable `x` is undefined in the body, line 2"],
    ["a provider refusal", new ProviderError("resend: The from domain is not verified", "permanent", { provider: "resend", status: 403 }), "resend: The from domain is not verified"],
    ["an import file problem", new ImportFileError("empty_file", "The file is empty"), "The file is empty"],
    ["a half-configured channel (it names variables, never their values)", new ConfigError("Twilio SMS needs TWILIO_ACCOUNT_SID, TWILIO_FROM", "TWILIO_ACCOUNT_SID"), "Twilio SMS needs TWILIO_ACCOUNT_SID, TWILIO_FROM"],
    ["a PublicError given as a NonRetriableError's cause", new NonRetriableError("The audience list x no longer exists.", { cause: new PublicError("The audience list x no longer exists.") }), "The audience list x no longer exists."],
    ["a storage failure (its SDK error, which names host and port, is only the cause)", s3StorageError(Object.assign(new Error("connect ECONNREFUSED 10.0.0.7:9000"), { code: "ECONNREFUSED" })), "File storage is unavailable; try again later."],
    ["a deserialized storage failure", { name: "StorageError", message: "File storage refused access: its configuration needs fixing.", stack: "" }, "File storage refused access: its configuration needs fixing."],
    ["a deserialized template error (as Inngest's failure handlers get it)", { name: "TemplateError", message: "unknown filter `shout` in the body, line 1", stack: "" }, "unknown filter `shout` in the body, line 1"],
  ])("keeps the words of %s", (_case, error, expected) => {
    expect(publicErrorMessage(error)).toBe(expected);
  });

  it.each([
    ["a provider outage (its message may carry network internals)", new ProviderError("resend: connect ECONNREFUSED 10.0.0.7:443", "transient", { provider: "resend" })],
    ["a bug", new TypeError("Cannot read properties of undefined (reading 'id')")],
    ["a NonRetriableError of our own making with no public cause", new NonRetriableError("chunk 3 starts at 60000 but the cursor is at 40000")],
    ["something that is not an error", "boom"],
  ])("hides %s behind an id", (_case, error) => {
    expect(publicErrorMessage(error)).toMatch(INTERNAL);
  });
});

describe("where errors reach users", () => {
  it("a campaign that could not start shows a plain reason, never SQL", async () => {
    const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 1, prefix: "sql" });
    const campaign = await insertCampaign(database.db, { workspaceId, name: "SQL", channel: "email", templateId, audience: { listId }, status: "sending" });
    await failCampaignStart(database.db, { workspaceId, campaignId: campaign.id }, await databaseError());
    const failed = await getCampaign(database.db, { workspaceId, campaignId: campaign.id });
    expect(failed?.status).toBe("failed");
    expect(failed?.statusReason).toMatch(/^Sending could not start: Internal error \(id [0-9a-f]{12}\)$/);
    expect(failed?.statusReason).toContain(String(logs.lines()[0]!.errorId));
  });

  it("a campaign whose audience is gone says so in words", async () => {
    const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 1, prefix: "gone" });
    const campaign = await insertCampaign(database.db, { workspaceId, name: "Gone", channel: "email", templateId, audience: { listId }, status: "sending" });
    const reason = "The audience list 1 no longer exists.";
    // What Inngest's failure handler receives: a deserialized copy of the thrown NonRetriableError.
    const deserialized = { name: "NonRetriableError", message: reason, cause: { name: "PublicError", message: reason } };
    await failCampaignStart(database.db, { workspaceId, campaignId: campaign.id }, deserialized);
    expect((await getCampaign(database.db, { workspaceId, campaignId: campaign.id }))?.statusReason).toBe(`Sending could not start: ${reason}`);
  });

  it("a notification that failed on a database error shows a plain error", async () => {
    const { row } = await insertMessage(database.db, { workspaceId, idempotencyKey: "db-error", channel: "email", recipient: "a@example.com", request: { data: {} } });
    await failNotification(database.db, { workspaceId, messageId: row.id }, await databaseError());
    expect(await findMessageById(database.db, { messageId: row.id })).toMatchObject({ status: "failed", error: expect.stringMatching(INTERNAL) });
  });
});
