import { z } from "zod";
import { apiOperation } from "@/lib/api/api-operation";
import { listQueryWithCursor } from "@/lib/api/list-query";
import { jsonValue, paged, timestamp } from "./common";

const tag = "Audit log";

/** The audit log is keyed by its serial id (the chain's order): the cursor is the last id seen. */
export const encodeAuditCursor = (id: number) => Buffer.from(JSON.stringify(["audit", id])).toString("base64url");

export function decodeAuditCursor(cursor: string): number | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    return Array.isArray(value) && value.length === 2 && value[0] === "audit" && Number.isSafeInteger(value[1]) && (value[1] as number) > 0 ? (value[1] as number) : null;
  } catch {
    return null;
  }
}

const auditCursor = z
  .string()
  .transform((cursor, ctx) => {
    const id = decodeAuditCursor(cursor);
    if (id === null) {
      ctx.addIssue({ code: "custom", message: "Invalid cursor: pass nextCursor from a previous page unchanged" });
      return z.NEVER;
    }
    return id;
  })
  .meta({ description: "The previous page's `nextCursor`, unchanged" });

const shortText = (description: string) => z.string().min(1).max(200).optional().meta({ description });

export const auditEntrySchema = z
  .object({
    id: z.number().int().meta({ description: "The entry's number: increasing in the order entries were chained" }),
    actor: z.string().meta({ description: '"api_key:<id>", "dashboard", "system", "function:<id>", …' }),
    action: z.string().meta({ description: 'What was done, e.g. "contact.deleted", "campaign.paused"' }),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    details: z.record(z.string(), jsonValue),
    createdAt: timestamp,
    prevHash: z.string().nullable().meta({ description: "The previous entry's hash in this workspace's chain (null for the first)" }),
    hash: z.string().nullable().meta({ description: "sha256 (hex) over this entry's content (RFC 8785 JSON) and `prevHash`; null only on entries written before the chain existed" }),
  })
  .meta({ id: "AuditEntry" });

export const auditVerificationSchema = z
  .object({
    ok: z.boolean().meta({ description: "Every entry's hash matches its content and links to the one before it" }),
    checked: z.number().int().meta({ description: "Entries verified before the first break (all of them when ok)" }),
    unchained: z.number().int().meta({ description: "Entries written before the chain existed (no hash), at its start" }),
    redacted: z.number().int().meta({ description: "Entries whose details an erasure redacted (they quoted the erased person); they verify through the digest of their original details" }),
    brokenAt: z
      .object({
        id: z.number().int(),
        reason: z.enum(["hash", "link", "unchained"]).meta({ description: "hash: the entry's content was changed; link: an entry before it was removed, reordered or changed; unchained: an entry without a hash inside the chain" }),
      })
      .nullable()
      .meta({ description: "The first entry that does not verify; null when ok" }),
  })
  .meta({ id: "AuditVerification" });

export const auditLogApi = {
  list: apiOperation({
    method: "get",
    path: "/audit-log",
    tag,
    summary: "List the workspace's audit entries, newest first",
    description:
      "Every change made through the API, the dashboard and the background functions, append-only and hash-chained: each entry's hash covers its content and the previous entry's hash, so an edited, removed or reordered entry is detected by `GET /audit-log/verify`.",
    query: listQueryWithCursor(
      {
        action: shortText("Only entries with this action"),
        actor: shortText("Only entries by this actor"),
        targetType: shortText("Only entries about this kind of target (contact, campaign, …)"),
        targetId: shortText("Only entries about this target"),
        from: z.iso.datetime({ offset: true }).optional().meta({ description: "Entries at or after this time" }),
        to: z.iso.datetime({ offset: true }).optional().meta({ description: "Entries before this time" }),
      },
      auditCursor,
    ),
    responses: { 200: { description: "A page of entries", schema: paged(auditEntrySchema) } },
  }),
  verify: apiOperation({
    method: "get",
    path: "/audit-log/verify",
    tag,
    summary: "Verify the workspace's audit chain",
    description: "Walks the chain from its first entry, recomputing each hash and checking each link; names the first entry that does not match.",
    responses: { 200: { description: "The verification's result", schema: auditVerificationSchema } },
  }),
};
