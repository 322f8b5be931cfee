import type { Db } from "@/db";
import { envValue } from "@/core/config/env";
import { findMessagesByIds } from "@/db/queries/messages";
import { providerAccount } from "@/lib/campaigns/provider-account";
import { reserveSendSlot, takeSendSlot } from "@/lib/providers/take-send-slot";
import type { BatchPacing, MessageRef } from "./deliver-notification-batch";
import type { Providers } from "./deliver-message";

/**
 * The slot of a batch's email call at its provider account, shared with campaigns
 * (provider_pacing), or null when the batch has no email left to send. Taken before the send
 * step, so the function can sleep until a slot far away rather than hold a step open.
 */
export async function reserveNotificationSlot(db: Db, providers: Providers, requests: MessageRef[]): Promise<Date | null> {
  const rows = await findMessagesByIds(db, { messageIds: requests.map((r) => r.messageId) });
  if (!rows.some((row) => row.channel === "email" && (row.status === "queued" || row.status === "sending"))) return null;
  return reserveSendSlot(db, emailSendSlot(providers));
}

/** How a batch waits for the provider within its send step. */
export function notificationPacing(db: Db, providers: Providers, smsDeadline: number): BatchPacing {
  return {
    emailSlot: () => takeSendSlot(db, emailSendSlot(providers)),
    // Carriers meter throughput in segments per sender, so a three-segment SMS takes three slots.
    smsSlot: (segments) =>
      takeSendSlot(db, { account: providerAccount("sms", providers.sms.name), perSecond: envValue("SMS_SENDER_MPS"), cost: segments }),
    smsDeadline,
  };
}

/**
 * The email provider account's schedule: one request per slot, whatever the request. Resend
 * counts every API call (a batch send, a status lookup) against one limit, so whatever calls it
 * takes its turn here.
 */
export function emailSendSlot(providers: Pick<Providers, "email">) {
  return { account: providerAccount("email", providers.email.name), perSecond: envValue("EMAIL_PROVIDER_RPS") };
}
