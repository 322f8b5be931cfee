import { z } from "zod";
import { normalizeEmail } from "@/core/contacts/normalize-email";

/** The upload form's text fields: whose mailbox it is (for direction and to never extract the owner) and whether to keep bodies. */
export const mailboxUploadFields = z.strictObject({
  ownerAddresses: z
    .string()
    .max(2_000)
    .optional()
    .transform((text, ctx) => {
      const addresses = (text ?? "").split(/[\s,;]+/).filter((part) => part !== "");
      const normalized = addresses.map((address) => normalizeEmail(address));
      normalized.forEach((result, n) => {
        if (!result.ok) ctx.addIssue({ code: "custom", message: `${JSON.stringify(addresses[n])} ${result.reason}` });
      });
      return normalized.flatMap((result) => (result.ok ? [result.value] : []));
    }),
  label: z.string().trim().min(1).max(200).optional(),
  storeBodies: z.enum(["true", "false"]).optional().transform((value) => value === "true"),
});
