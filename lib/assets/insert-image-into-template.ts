import { emailImageTag, insertIntoBody } from "@/core/assets/email-image-tag";
import type { Db } from "@/db";
import { getEmailAsset } from "@/db/queries/email-assets";
import { getTemplate } from "@/db/queries/templates";
import { reviseTemplate, type ReviseOutcome } from "@/lib/templates/revise-template";
import { assetUrl } from "./asset-view";

/** Longer alt text is a caption, not a description: screen readers read every character. */
export const ALT_TEXT_MAX_CHARS = 250;

export type InsertImageOutcome = ReviseOutcome | { ok: false; reason: "no_asset" | "not_email" };

/**
 * "Insert into template" (the journey canvas): the asset's <img> added at the end of an email
 * template's body through the one template update path (reviseTemplate: the same checks, a new
 * version), built on the body as stored now, so an edit made elsewhere is kept, not overwritten.
 */
export async function insertImageIntoTemplate(db: Db, params: { workspaceId: string; templateId: string; assetId: string; alt: string }): Promise<InsertImageOutcome> {
  const [asset, template] = await Promise.all([
    getEmailAsset(db, { workspaceId: params.workspaceId, assetId: params.assetId }),
    getTemplate(db, { workspaceId: params.workspaceId, templateId: params.templateId }),
  ]);
  if (!template) return { ok: false, reason: "not_found" };
  if (!asset) return { ok: false, reason: "no_asset" };
  if (template.channel !== "email") return { ok: false, reason: "not_email" };
  const tag = emailImageTag({ src: assetUrl(asset), alt: params.alt.slice(0, ALT_TEXT_MAX_CHARS), pixelWidth: asset.width });
  return reviseTemplate(db, { workspaceId: params.workspaceId, templateId: template.id, changes: { body: insertIntoBody(template.body, tag) }, expectedVersion: template.version });
}
