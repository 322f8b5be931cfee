import type { WhatsAppContact } from "@/db/queries/whatsapp-contacts";
import { WHATSAPP_SESSION_WINDOW_MS } from "@/core/messages/whatsapp";

/** A contact's WhatsApp standing as the API shows it (a contact with no row has never opted in nor written). */
export function whatsappOptInView(contactId: string, row: Pick<WhatsAppContact, "optedInAt" | "optInSource" | "optedOutAt" | "optOutSource" | "lastInboundAt"> | undefined) {
  return {
    contactId,
    optedIn: Boolean(row?.optedInAt),
    optedInAt: row?.optedInAt?.toISOString() ?? null,
    optInSource: row?.optInSource ?? null,
    optedOutAt: row?.optedOutAt?.toISOString() ?? null,
    optOutSource: row?.optOutSource ?? null,
    lastInboundAt: row?.lastInboundAt?.toISOString() ?? null,
    sessionWindowEndsAt: row?.lastInboundAt ? new Date(row.lastInboundAt.getTime() + WHATSAPP_SESSION_WINDOW_MS).toISOString() : null,
  };
}
