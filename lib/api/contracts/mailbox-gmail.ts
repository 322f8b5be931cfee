import { z } from "zod";
import { apiOperation } from "@/lib/api/api-operation";
import { timestamp } from "./common";

/** The history window a Gmail connection's first sync reads unless told otherwise. */
export const GMAIL_DEFAULT_HISTORY_DAYS = 365;

export const gmailAuthorizeQuery = z.strictObject({
  label: z.string().trim().min(1).max(200).optional().meta({ description: "A name for the connection (the Gmail address otherwise)" }),
  storeBodies: z
    .enum(["true", "false"])
    .optional()
    .transform((value) => value === "true")
    .meta({ description: "`true` keeps each message's text body (capped); headers and a snippet otherwise" }),
  historyDays: z.coerce
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(GMAIL_DEFAULT_HISTORY_DAYS)
    .meta({ description: `How far back the first sync reads, in days (${GMAIL_DEFAULT_HISTORY_DAYS} by default)` }),
});

export const mailboxGmailApi = {
  authorize: apiOperation({
    method: "get",
    path: "/mailbox/gmail/authorize",
    tag: "Mailbox",
    summary: "Start connecting a Gmail mailbox",
    description:
      "Answers the address of Google's consent page for read-only Gmail access. Send the mailbox owner's browser there; Google returns it to `/mailbox/gmail/callback`, which creates the `gmail` connection (or renews the tokens of the account's connection waiting for a reconnect) and starts its sync. The URL is good until `expiresAt`.",
    query: gmailAuthorizeQuery,
    responses: {
      200: {
        description: "Google's consent page, with a signed state binding this workspace and these options",
        schema: z.object({ url: z.url(), expiresAt: timestamp }).meta({ id: "GmailAuthorization" }),
      },
    },
    errors: { 409: "Gmail is not configured on this server (GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET)" },
  }),
};
