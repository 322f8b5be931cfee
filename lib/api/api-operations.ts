import type { ApiOperation } from "./api-operation";
import { campaignsApi } from "./contracts/campaigns";
import { contactsApi } from "./contracts/contacts";
import { creditsApi } from "./contracts/credits";
import { deadLettersApi } from "./contracts/dead-letters";
import { importsApi } from "./contracts/imports";
import { listsApi } from "./contracts/lists";
import { messagesApi } from "./contracts/messages";
import { notificationsApi } from "./contracts/notifications";
import { openApiApi } from "./contracts/openapi";
import { outboxApi } from "./contracts/outbox";
import { providersApi } from "./contracts/providers";
import { segmentsApi } from "./contracts/segments";
import { templatesApi } from "./contracts/templates";

/**
 * Every /api/v1 operation, by resource, in the order the reference shows them. The OpenAPI
 * document is built from this list, and a test fails when a route file serves a method that
 * is not here (or the other way round).
 */
export const API_RESOURCES: Readonly<Record<string, Readonly<Record<string, ApiOperation>>>> = {
  notifications: notificationsApi,
  messages: messagesApi,
  deadLetters: deadLettersApi,
  templates: templatesApi,
  contacts: contactsApi,
  lists: listsApi,
  segments: segmentsApi,
  imports: importsApi,
  campaigns: campaignsApi,
  credits: creditsApi,
  outbox: outboxApi,
  providers: providersApi,
  openapi: openApiApi,
};

/** `resource.name` → operation, e.g. `contacts.upsert`: the operationId in the document. */
export const API_OPERATIONS: readonly (ApiOperation & { id: string })[] = Object.entries(API_RESOURCES).flatMap(([resource, operations]) =>
  Object.entries(operations).map(([name, operation]) => ({ ...operation, id: `${resource}.${name}` })),
);
