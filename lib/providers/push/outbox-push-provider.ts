import type { Db } from "@/db";
import { insertOutboxMessage } from "@/db/queries/outbox-messages";
import { idempotencyConflict, toOutboxProviderId } from "@/lib/providers/outbox-provider-id";
import { pushPayload } from "./push-payload";
import type { PushDevice, PushNotification, PushProvider, PushSendResult } from "./push-provider";

/** Shown as the sender of a push in the outbox. */
export const OUTBOX_PUSH_FROM = "Sendline push";

/**
 * The local default for push: each device's notification is stored in the outbox (title as the
 * subject, body as the text, the service worker's payload in a header), so `npm run dev` shows
 * what every device would have received and nothing leaves the machine.
 */
export class OutboxPushProvider implements PushProvider {
  readonly name = "outbox";

  constructor(private readonly db: Db) {}

  async send(notification: PushNotification, device: PushDevice, options: { idempotencyKey: string }): Promise<PushSendResult> {
    const to = `${device.kind === "fcm" ? "FCM" : "Web Push"} device ${device.label ?? device.id}`;
    const { row, created } = await insertOutboxMessage(this.db, {
      workspaceId: notification.workspaceId,
      // One message reaches several devices: each is its own delivery, under its own key.
      idempotencyKey: `${options.idempotencyKey}:${device.id}`,
      messageId: notification.messageId,
      channel: "push",
      from: OUTBOX_PUSH_FROM,
      to,
      subject: notification.title,
      text: notification.body,
      headers: { "X-Push-Subscription": device.id, "X-Push-Payload": pushPayload(notification) },
    });
    if (!created && (row.channel !== "push" || row.messageId !== notification.messageId)) throw idempotencyConflict(options.idempotencyKey, "push");
    return { provider: this.name, providerMessageId: toOutboxProviderId(row.id) };
  }
}
