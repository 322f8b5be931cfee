import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { notificationRequest } from "@/lib/notifications/notification-request";
import { requestNotification } from "@/lib/notifications/request-notification";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;
beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "WhatsApp requests" }));
});
afterAll(() => database.close());

const request = (messageId: string, variables: string[]) =>
  notificationRequest.parse({ messageId, channel: "whatsapp", to: "+14155550123", whatsapp: { template: { name: "order_shipped", language: "en_US", variables } } });

describe("requestNotification for a WhatsApp template", () => {
  it("keeps the template on the message, for the send to render", async () => {
    const outcome = await requestNotification(database.db, workspaceId, request("wa-kept", ["{{ order }}"]));
    expect(outcome).toMatchObject({ ok: true, created: true, message: { request: { whatsapp: { template: { name: "order_shipped", language: "en_US", variables: ["{{ order }}"] } } } } });
  });

  it("answers 400 naming the variables when one is not valid Liquid, and records nothing", async () => {
    expect(await requestNotification(database.db, workspaceId, request("wa-bad-liquid", ["{{ order "]))).toMatchObject({ ok: false, status: 400, field: "whatsapp.template.variables" });
    // Nothing was stored under that id: the corrected request is a new message.
    expect(await requestNotification(database.db, workspaceId, request("wa-bad-liquid", ["fine"]))).toMatchObject({ ok: true, created: true });
  });
});
