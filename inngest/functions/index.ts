import { finalizeCampaign } from "./campaigns/finalize-campaign";
import { scheduleCampaign } from "./campaigns/schedule-campaign";
import { sendCampaign } from "./campaigns/send-campaign";
import { sendCampaignChunk } from "./campaigns/send-campaign-chunk";
import { watchCampaigns } from "./campaigns/watch-campaigns";
import { enrichContacts } from "./contacts/enrich-contacts";
import { enrichImportedContacts } from "./contacts/enrich-imported-contacts";
import { importContacts } from "./imports/import-contacts";
import { watchImports } from "./imports/watch-imports";
import { sendNotification } from "./notifications/send-notification";
import { processEmailEvent } from "./webhooks/process-email-event";
import { processSmsEvent } from "./webhooks/process-sms-event";
import { refreshMessageStatus } from "./webhooks/refresh-message-status";

/** Every Inngest function Sendline serves. app/api/inngest/route.ts hands this list to serve(). */
export const functions = [
  sendNotification,
  importContacts,
  watchImports,
  enrichContacts,
  enrichImportedContacts,
  scheduleCampaign,
  sendCampaign,
  sendCampaignChunk,
  finalizeCampaign,
  watchCampaigns,
  processEmailEvent,
  processSmsEvent,
  refreshMessageStatus,
];
