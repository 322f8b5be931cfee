import { getDatabase } from "@/db";
import { type Erasure, getErasureById } from "@/db/queries/erasures";
import { getWorkspace } from "@/db/queries/workspaces";
import { undoErasure } from "@/app/_lib/erasures";
import { verifyRestoreToken } from "@/lib/lifecycle/restore-token";
import { logger } from "@/lib/observability/logger";
import { invalidLinkPage, trackingPage } from "@/lib/tracking/tracking-page";

/**
 * The restore link of a recovery email. GET only shows what the button would do (mail scanners
 * fetch every link; a GET that restored would undo erasures nobody asked to undo); the button
 * POSTs back here. The signed token names the erasure; the erasure says whether it still can be
 * undone, so a link used twice or after the window answers a page saying exactly that.
 */
async function load(request: Request): Promise<{ erasure: Erasure; workspaceName: string } | Response> {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const target = verifyRestoreToken(token);
  if (!target) return invalidLinkPage();
  const { db } = await getDatabase();
  const erasure = await getErasureById(db, target);
  if (!erasure) return invalidLinkPage();
  const workspace = await getWorkspace(db, { workspaceId: erasure.workspaceId });
  return { erasure, workspaceName: workspace?.name ?? "this workspace" };
}

function closedPage(erasure: Erasure, workspaceName: string): Response | null {
  if (erasure.status === "restored") {
    return trackingPage({ status: 410, title: "Already restored", message: `Your data at ${workspaceName} was already restored with this link; it will not be erased. There is nothing more to do.` });
  }
  if (erasure.status !== "pending" || erasure.eraseAfter.getTime() <= Date.now()) {
    return trackingPage({
      status: 410,
      title: "The recovery window has passed",
      message: `The time to undo this erasure ended on ${erasure.eraseAfter.toUTCString()}. Your data at ${workspaceName} ${erasure.status === "erased" ? "has been erased" : "is being erased"} and cannot be restored.`,
    });
  }
  return null;
}

export async function GET(request: Request): Promise<Response> {
  const loaded = await load(request);
  if (loaded instanceof Response) return loaded;
  const { erasure, workspaceName } = loaded;
  return (
    closedPage(erasure, workspaceName) ??
    trackingPage({
      status: 200,
      title: `Restore your data at ${workspaceName}?`,
      message: `Your data at ${workspaceName} is scheduled to be erased on ${erasure.eraseAfter.toUTCString()}. Restore it to keep everything as it was.`,
      confirm: "Restore",
    })
  );
}

export async function POST(request: Request): Promise<Response> {
  const loaded = await load(request);
  if (loaded instanceof Response) return loaded;
  const { erasure, workspaceName } = loaded;
  try {
    const outcome = await undoErasure((await getDatabase()).db, { workspaceId: erasure.workspaceId, erasureId: erasure.id, restoredBy: "recovery-link" });
    if (!outcome.ok) return closedPage(outcome.erasure ?? erasure, workspaceName) ?? invalidLinkPage();
  } catch (error) {
    logger.error({ err: error, erasureId: erasure.id }, "erasure: restore by link failed");
    return trackingPage({ status: 500, title: "Something went wrong", message: "Your data has not been restored yet. Please try again in a moment." });
  }
  return trackingPage({ status: 200, title: "Your data is restored", message: `Your data at ${workspaceName} will not be erased; everything is as it was.` });
}
