import { z } from "zod";
import { EXPORT_SUBJECTS } from "@/core/exports/export-files";

/** POST /api/v1/exports. Strict: unknown fields are errors. */
export const exportCreateRequest = z
  .strictObject({
    subject: z.enum(EXPORT_SUBJECTS).meta({
      description:
        "`contact`: one contact's data (GDPR access), give `contactId`; `workspace`: the whole workspace's contacts, lists, list members, messages and engagement events (portability)",
    }),
    contactId: z.uuid().optional().meta({ description: "For `subject: contact`: the contact; one of another workspace, or whose erasure was requested, answers 404" }),
    notifyEmail: z.email().max(320).optional().meta({ description: "Where to send an email with the download link when the export is ready (or a note if it failed)" }),
  })
  .superRefine((value, ctx) => {
    if (value.subject === "contact" && !value.contactId) ctx.addIssue({ code: "custom", path: ["contactId"], message: "required for a contact export" });
    if (value.subject === "workspace" && value.contactId) ctx.addIssue({ code: "custom", path: ["contactId"], message: "only for a contact export" });
  });

export type ExportCreateRequest = z.infer<typeof exportCreateRequest>;
