import { assetIdsInBody } from "@/core/assets/email-image-tag";
import type { Db } from "@/db";
import { listEmailAssets, listEmailAssetsByIds } from "@/db/queries/email-assets";
import { getTemplate } from "@/db/queries/templates";
import { assetView, type AssetView } from "./asset-view";

export type TemplateImage = AssetView & { inTemplate: boolean };

/**
 * What the canvas lists beside an email step: the images its template shows (in the body's
 * order), then the workspace's other recent uploads, ready to insert.
 */
export async function templateImages(db: Db, params: { workspaceId: string; templateId: string; recent: number }): Promise<TemplateImage[]> {
  const template = await getTemplate(db, params);
  const ids = template ? assetIdsInBody(template.body) : [];
  const [used, recent] = await Promise.all([listEmailAssetsByIds(db, { workspaceId: params.workspaceId, assetIds: ids }), listEmailAssets(db, { workspaceId: params.workspaceId, limit: params.recent })]);
  const byId = new Map(used.map((asset) => [asset.id, asset]));
  const inTemplate = ids.flatMap((id) => (byId.has(id) ? [{ ...assetView(byId.get(id)!), inTemplate: true }] : []));
  return [...inTemplate, ...recent.filter((asset) => !byId.has(asset.id)).map((asset) => ({ ...assetView(asset), inTemplate: false }))];
}
