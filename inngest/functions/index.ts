import { recordEngagement } from "./analytics/record-engagement";
import { buildSealRoots } from "./analytics/build-seal-roots";
import { sealCampaignMetrics } from "./analytics/seal-campaign-metrics";
import { analyzeCampaign } from "./analytics/analyze-campaign";
import { guardCampaigns } from "./analytics/guard-campaigns";
import { applyRetentionPolicy } from "./lifecycle/apply-retention-policy";
import { cleanTemporaryData } from "./lifecycle/clean-temporary-data";
import { planRetention } from "./lifecycle/plan-retention";
import { generateRecommendation } from "./analytics/generate-recommendation";
import { finalizeCampaign } from "./campaigns/finalize-campaign";
import { scheduleCampaign } from "./campaigns/schedule-campaign";
import { sendCampaign } from "./campaigns/send-campaign";
import { sendCampaignChunk } from "./campaigns/send-campaign-chunk";
import { releaseCampaignChunks } from "./campaigns/release-campaign-chunks";
import { pickCampaignAbWinner } from "./campaigns/pick-campaign-ab-winner";
import { watchCampaigns } from "./campaigns/watch-campaigns";
import { collectDigest } from "./delivery/collect-digest";
import { deliverWithRules } from "./delivery/deliver-with-rules";
import { runChannelPlan } from "./delivery/run-channel-plan";
import { enrichContacts } from "./contacts/enrich-contacts";
import { enrichImportedContacts } from "./contacts/enrich-imported-contacts";
import { importContacts } from "./imports/import-contacts";
import { importMailbox } from "./mailbox/import-mailbox";
import { resealMailboxCredentials } from "./mailbox/reseal-mailbox-credentials";
import { scheduleMailboxSyncs } from "./mailbox/schedule-mailbox-syncs";
import { syncMailbox } from "./mailbox/sync-mailbox";
import { analyseRelationships } from "./mailbox/analyse-relationships";
import { planRelationshipAnalyses } from "./mailbox/plan-relationship-analyses";
import { buildExport } from "./lifecycle/build-export";
import { watchImports } from "./imports/watch-imports";
import { sendNotification } from "./notifications/send-notification";
import { runBackup } from "./lifecycle/run-backup";
import { scheduleBackup } from "./lifecycle/schedule-backup";
import { processEmailEvent } from "./webhooks/process-email-event";
import { processSmsEvent } from "./webhooks/process-sms-event";
import { processWhatsAppEvent } from "./webhooks/process-whatsapp-event";
import { refreshMessageStatus } from "./webhooks/refresh-message-status";
import { archiveCampaign } from "./lifecycle/archive-campaign";
import { planArchives } from "./lifecycle/plan-archives";
import { restoreArchive } from "./lifecycle/restore-archive";
import { eraseAfterWindow } from "./lifecycle/erase-after-window";
import { executeErasure } from "./lifecycle/execute-erasure";
import { sendRecoveryEmail } from "./lifecycle/send-recovery-email";
import { planDateAutomations } from "./automations/plan-date-automations";
import { sendDateAutomation } from "./automations/send-date-automation";
import { enrollJourneyContact } from "./journeys/enroll-journey-contact";
import { enrollJourneyDate } from "./journeys/enroll-journey-date";
import { enrollJourneySegment } from "./journeys/enroll-journey-segment";
import { evaluateJourneySegment } from "./journeys/evaluate-journey-segment";
import { exitJourneyOnGoal } from "./journeys/exit-journey-on-goal";
import { pickJourneyAbWinners } from "./journeys/pick-journey-ab-winners";
import { planJourneySegments } from "./journeys/plan-journey-segments";
import { requestSegmentEvaluations } from "./journeys/request-segment-evaluations";
import { runJourneyEnrollment } from "./journeys/run-journey-enrollment";

/** Every Inngest function Sendline serves. app/api/inngest/route.ts hands this list to serve(). */
export const functions = [
  sendNotification,
  deliverWithRules,
  runChannelPlan,
  collectDigest,
  importContacts,
  importMailbox,
  resealMailboxCredentials,
  syncMailbox,
  scheduleMailboxSyncs,
  analyseRelationships,
  planRelationshipAnalyses,
  watchImports,
  enrichContacts,
  enrichImportedContacts,
  scheduleCampaign,
  sendCampaign,
  sendCampaignChunk,
  releaseCampaignChunks,
  pickCampaignAbWinner,
  finalizeCampaign,
  watchCampaigns,
  analyzeCampaign,
  guardCampaigns,
  processEmailEvent,
  processSmsEvent,
  processWhatsAppEvent,
  refreshMessageStatus,
  recordEngagement,
  sealCampaignMetrics,
  buildSealRoots,
  generateRecommendation,
  scheduleBackup,
  runBackup,
  planArchives,
  archiveCampaign,
  restoreArchive,
  buildExport,
  planRetention,
  applyRetentionPolicy,
  cleanTemporaryData,
  eraseAfterWindow,
  executeErasure,
  sendRecoveryEmail,
  planDateAutomations,
  sendDateAutomation,
  enrollJourneyContact,
  runJourneyEnrollment,
  exitJourneyOnGoal,
  enrollJourneySegment,
  evaluateJourneySegment,
  planJourneySegments,
  pickJourneyAbWinners,
  requestSegmentEvaluations,
  enrollJourneyDate,
];
