import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPTIONS, POST } from "@/app/t/push/[token]/[report]/route";
import type { Database } from "@/db";
import { listMessageEngagement } from "@/db/queries/engagement-events";
import { advanceMessageStatus, insertMessage } from "@/db/queries/messages";
import { contacts } from "@/db/schema";
import { signPushReportToken } from "@/lib/push/push-report-token";
import { signTrackingToken } from "@/lib/tracking/tracking-token";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { createTrackedMessage, readMessage, TEST_TRACKING_SECRET } from "@/test/app/t/tracked-message";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;
const savedSecret = process.env.TRACKING_SECRET;

beforeAll(async () => {
  process.env.TRACKING_SECRET = TEST_TRACKING_SECRET;
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Reports" }));
});
afterAll(async () => {
  await database.close();
  if (savedSecret === undefined) delete process.env.TRACKING_SECRET;
  else process.env.TRACKING_SECRET = savedSecret;
});

async function sentPush(status: "sent" | "failed" = "sent") {
  const [contact] = await database.db.insert(contacts).values({ workspaceId, email: `${randomUUID()}@example.com` }).returning();
  const { row } = await insertMessage(database.db, { workspaceId, idempotencyKey: randomUUID(), channel: "push", recipient: contact!.id, contactId: contact!.id });
  await advanceMessageStatus(database.db, { workspaceId, messageId: row.id, to: status });
  return row;
}

const report = (token: string, what: string) => POST(new Request(`http://localhost/t/push/${token}/${what}`, { method: "POST" }), { params: Promise.resolve({ token, report: what }) });

describe("POST /t/push/{token}/{report}", () => {
  it("moves a sent push to delivered, then clicked, never back; answers any origin", async () => {
    const message = await sentPush();
    const token = signPushReportToken(message.id);
    const delivered = await report(token, "delivered");
    expect(delivered.status).toBe(204);
    expect(delivered.headers.get("access-control-allow-origin")).toBe("*");
    expect((await readMessage(database.db, message.id)).status).toBe("delivered");
    expect((await report(token, "clicked")).status).toBe(204);
    expect((await report(token, "delivered")).status).toBe(204);
    const after = await readMessage(database.db, message.id);
    expect(after).toMatchObject({ status: "clicked", clickCount: 1 });
    expect(after.clickedAt).not.toBeNull();
    // The stream has the delivery once (the late repeat moved nothing) and the click, by a person.
    const stream = await listMessageEngagement(database.db, { workspaceId, messageId: message.id });
    expect(stream.map((event) => [event.type, event.source, event.machine, event.firstClick])).toEqual([
      ["delivered", "push", null, false],
      ["clicked", "push", null, true],
    ]);
  });

  it("leaves a failed message failed", async () => {
    const message = await sentPush("failed");
    expect((await report(signPushReportToken(message.id), "delivered")).status).toBe(204);
    expect((await readMessage(database.db, message.id)).status).toBe("failed");
  });

  it.each([
    ["a forged token", () => `${signPushReportToken(randomUUID()).split(".")[0]}.AAAAAAAAAAAAAAAAAAAAAA`, "delivered"],
    ["an email tracking token", () => signTrackingToken({ action: "o", messageId: randomUUID() }), "delivered"],
    ["an unknown report", () => signPushReportToken(randomUUID()), "opened"],
    ["a message that does not exist", () => signPushReportToken(randomUUID()), "delivered"],
  ])("answers 404 for %s", async (_case, token, what) => {
    expect((await report(token(), what)).status).toBe(404);
  });

  it("answers 404 for an email's id in a validly signed token: only push messages take reports", async () => {
    const email = await createTrackedMessage(database.db, { workspaceId });
    expect((await report(signPushReportToken(email.id), "delivered")).status).toBe(404);
    expect((await readMessage(database.db, email.id)).status).toBe("sent");
  });

  it("answers a preflight for browsers that send one", () => {
    const response = OPTIONS();
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-methods")).toBe("POST");
  });
});
