import type { Db } from "@/db";
import { getList } from "@/db/queries/lists";
import { getSegment } from "@/db/queries/segments";
import { getTemplate } from "@/db/queries/templates";
import type { CampaignAudience } from "@/db/schema";
import type { CampaignChannel } from "@/core/messages/channels";
import { categoryIssue } from "@/lib/preferences/category-issue";

/** Field errors for a template, list, segment or category that is not this workspace's (or the wrong channel); null when all resolve. */
export async function campaignReferenceErrors(
  db: Db,
  workspaceId: string,
  body: { channel: CampaignChannel; templateId: string; audience: CampaignAudience; category?: string | undefined; abTest?: { variants: { templateId?: string | undefined }[] } | undefined },
): Promise<Record<string, string[]> | null> {
  const fields: Record<string, string[]> = {};
  const template = await getTemplate(db, { workspaceId, templateId: body.templateId });
  if (!template) fields.templateId = ["no such template in this workspace"];
  else if (template.channel !== body.channel) fields.templateId = [`is a ${template.channel} template; the campaign is ${body.channel}`];
  if ("listId" in body.audience && !(await getList(db, { workspaceId, listId: body.audience.listId }))) {
    fields["audience.listId"] = ["no such list in this workspace"];
  }
  if ("segmentId" in body.audience && !(await getSegment(db, { workspaceId, segmentId: body.audience.segmentId }))) {
    fields["audience.segmentId"] = ["no such segment in this workspace"];
  }
  for (const [index, variant] of (body.abTest?.variants ?? []).entries()) {
    if (!variant.templateId) continue;
    const other = await getTemplate(db, { workspaceId, templateId: variant.templateId });
    const field = `abTest.variants.${index}.templateId`;
    if (!other) fields[field] = ["no such template in this workspace"];
    else if (other.channel !== body.channel) fields[field] = [`is a ${other.channel} template; the campaign is ${body.channel}`];
  }
  if (body.category) {
    const issue = await categoryIssue(db, { workspaceId, key: body.category });
    if (issue) fields.category = [issue];
  }
  return Object.keys(fields).length > 0 ? fields : null;
}
