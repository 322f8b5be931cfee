import { assetUrlName, formatOfContentType } from "@/core/assets/email-image-rules";
import type { EmailAsset } from "@/db/queries/email-assets";
import { publicUrl } from "@/lib/config/public-url";

/** Where app/assets/[id]/[name] serves an asset, below PUBLIC_URL. */
export const ASSET_PATH = "/assets";

/** The absolute address an email shows the image from: PUBLIC_URL, as tracking links use. */
export function assetUrl(asset: Pick<EmailAsset, "id" | "fileName" | "contentType">, baseUrl: string = publicUrl()): string {
  return `${baseUrl.replace(/\/+$/, "")}${ASSET_PATH}/${asset.id}/${assetUrlName(asset.fileName, formatOfContentType(asset.contentType))}`;
}

/** An asset as the API and the canvas show it (no workspace, no storage key). */
export function assetView(asset: EmailAsset) {
  return {
    id: asset.id,
    url: assetUrl(asset),
    fileName: asset.fileName,
    contentType: asset.contentType,
    width: asset.width,
    height: asset.height,
    bytes: asset.bytes,
    sha256: asset.sha256,
    original: { contentType: asset.originalContentType, width: asset.originalWidth, height: asset.originalHeight, bytes: asset.originalBytes },
    createdAt: asset.createdAt.toISOString(),
  };
}

export type AssetView = ReturnType<typeof assetView>;
