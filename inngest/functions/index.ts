import { enrichContacts } from "./contacts/enrich-contacts";
import { importContacts } from "./imports/import-contacts";
import { sendNotification } from "./notifications/send-notification";

/** Every Inngest function Sendline serves. app/api/inngest/route.ts hands this list to serve(). */
export const functions = [sendNotification, importContacts, enrichContacts];
