import { z } from "zod";
import { normalizeEmail } from "@/core/contacts/normalize-email";

const MAX_HISTORY_DAYS = 3_650;

const emailList = z
  .array(z.string().max(320))
  .min(1, "name at least one of the mailbox owner's addresses")
  .max(20)
  .transform((addresses, ctx) => {
    const normalized = addresses.map((address) => normalizeEmail(address));
    normalized.forEach((result, n) => {
      if (!result.ok) ctx.addIssue({ code: "custom", message: `${JSON.stringify(addresses[n])} ${result.reason}` });
    });
    return [...new Set(normalized.flatMap((result) => (result.ok ? [result.value] : [])))];
  });

/** What connecting an IMAP mailbox takes: where, as whom, whose mailbox it is, and how much of it. */
export const imapConnectionFields = z.strictObject({
  kind: z.literal("imap"),
  label: z.string().trim().min(1).max(200).optional(),
  host: z
    .string()
    .trim()
    .min(1, "is required")
    .max(253)
    .regex(/^[A-Za-z0-9.:[\]-]+$/, "must be a host name or an IP address"),
  port: z.number().int().min(1).max(65_535).default(993),
  secure: z.boolean().default(true).meta({ description: "TLS from the first byte (port 993); false: plain, upgraded with STARTTLS when the server offers it" }),
  user: z.string().min(1, "is required").max(320),
  password: z.string().min(1, "is required").max(1_000).meta({ description: "Sealed at rest (AES-256-GCM); never returned" }),
  folders: z.array(z.string().min(1).max(500)).max(50).optional().meta({ description: "Folders to read; INBOX and the server's \\Sent folder when left out" }),
  ownerAddresses: emailList,
  storeBodies: z.boolean().default(false),
  historyDays: z.number().int().min(1).max(MAX_HISTORY_DAYS).default(365).meta({ description: "How far back the first sync reads" }),
});
export type ImapConnectionFields = z.infer<typeof imapConnectionFields>;

/** A new password for a connection the server stopped accepting. */
export const imapCredentialsFields = z.strictObject({ password: z.string().min(1, "is required").max(1_000) });
