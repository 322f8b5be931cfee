import type { ApiOperation } from "./api-operation";
import { analyticsApi } from "./contracts/analytics";
import { assetsApi } from "./contracts/assets";
import { auditLogApi } from "./contracts/audit-log";
import { campaignsApi } from "./contracts/campaigns";
import { categoriesApi } from "./contracts/categories";
import { contactsApi } from "./contracts/contacts";
import { creditsApi } from "./contracts/credits";
import { dateAutomationsApi } from "./contracts/date-automations";
import { erasuresApi } from "./contracts/erasures";
import { deadLettersApi } from "./contracts/dead-letters";
import { exportsApi } from "./contracts/exports";
import { contactEventsApi } from "./contracts/events";
import { channelPlansApi, deliverySettingsApi, digestsApi } from "./contracts/delivery";
import { importsApi } from "./contracts/imports";
import { inboxApi } from "./contracts/inbox";
import { journeysApi } from "./contracts/journeys";
import { listsApi } from "./contracts/lists";
import { mailboxApi } from "./contracts/mailbox";
import { mailboxGmailApi } from "./contracts/mailbox-gmail";
import { messagesApi } from "./contracts/messages";
import { notificationsApi } from "./contracts/notifications";
import { openApiApi } from "./contracts/openapi";
import { outboxApi } from "./contracts/outbox";
import { preferencesApi } from "./contracts/preferences";
import { providersApi } from "./contracts/providers";
import { recommendationsApi } from "./contracts/recommendations";
import { relationshipsApi } from "./contracts/relationships";
import { retentionApi } from "./contracts/retention";
import { pushSubscriptionsApi } from "./contracts/push-subscriptions";
import { campaignSealsApi } from "./contracts/seals";
import { archivesApi } from "./contracts/archives";
import { segmentsApi } from "./contracts/segments";
import { templatesApi } from "./contracts/templates";
import { whatsappApi } from "./contracts/whatsapp";
import { alertsApi, campaignAnalysesApi } from "./contracts/guards";

/**
 * Every /api/v1 operation, by resource, in the order the reference shows them. The OpenAPI
 * document is built from this list, and a test fails when a route file serves a method that
 * is not here (or the other way round).
 */
export const API_RESOURCES: Readonly<Record<string, Readonly<Record<string, ApiOperation>>>> = {
  notifications: notificationsApi,
  channelPlans: channelPlansApi,
  digests: digestsApi,
  deliverySettings: deliverySettingsApi,
  messages: messagesApi,
  deadLetters: deadLettersApi,
  templates: templatesApi,
  assets: assetsApi,
  contacts: contactsApi,
  mailbox: mailboxApi,
  mailboxGmail: mailboxGmailApi,
  relationships: relationshipsApi,
  erasures: erasuresApi,
  events: contactEventsApi,
  preferences: preferencesApi,
  categories: categoriesApi,
  whatsapp: whatsappApi,
  pushSubscriptions: pushSubscriptionsApi,
  lists: listsApi,
  segments: segmentsApi,
  journeys: journeysApi,
  imports: importsApi,
  exports: exportsApi,
  campaigns: campaignsApi,
  campaignSeals: campaignSealsApi,
  dateAutomations: dateAutomationsApi,
  archives: archivesApi,
  analytics: analyticsApi,
  campaignAnalyses: campaignAnalysesApi,
  alerts: alertsApi,
  credits: creditsApi,
  recommendations: recommendationsApi,
  retention: retentionApi,
  outbox: outboxApi,
  inbox: inboxApi,
  providers: providersApi,
  auditLog: auditLogApi,
  openapi: openApiApi,
};

/** `resource.name` → operation, e.g. `contacts.upsert`: the operationId in the document. */
export const API_OPERATIONS: readonly (ApiOperation & { id: string })[] = Object.entries(API_RESOURCES).flatMap(([resource, operations]) =>
  Object.entries(operations).map(([name, operation]) => ({ ...operation, id: `${resource}.${name}` })),
);
