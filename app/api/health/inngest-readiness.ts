export type InngestReadiness = { ready: true } | { ready: false; reason: string };

/** Once the server knows the app it keeps knowing it; a "no" is asked again almost at once. */
export const READY_CACHE_MS = 5_000;
export const NOT_READY_CACHE_MS = 500;
export const DEV_SERVER_TIMEOUT_MS = 1_500;

const cache = new Map<string, { at: number; readiness: InngestReadiness }>();

/** Tests start from a clean slate. */
export function clearReadinessCache(): void {
  cache.clear();
}

async function ask(serverUrl: string, functionIds: readonly string[]): Promise<InngestReadiness> {
  let known: Set<string>;
  try {
    // `GET /dev` lists the functions a dev server knows: our engine and Inngest's dev server both serve it.
    const response = await fetch(`${serverUrl.replace(/\/+$/, "")}/dev`, { signal: AbortSignal.timeout(DEV_SERVER_TIMEOUT_MS), cache: "no-store" });
    if (!response.ok) return { ready: false, reason: `the Inngest dev server at ${serverUrl} answered HTTP ${response.status}` };
    const body = (await response.json()) as { functions?: Array<{ id?: unknown; slug?: unknown }> };
    known = new Set((body.functions ?? []).flatMap((fn) => [fn.id, fn.slug].filter((v): v is string => typeof v === "string")));
  } catch (error) {
    return { ready: false, reason: `the Inngest dev server at ${serverUrl} is not answering (${(error as Error).message})` };
  }
  const missing = functionIds.filter((id) => !known.has(id));
  if (missing.length === functionIds.length) return { ready: false, reason: `the Inngest dev server at ${serverUrl} has not synced this app yet` };
  if (missing.length > 0) return { ready: false, reason: `the Inngest dev server at ${serverUrl} does not know ${missing.join(", ")} yet (sync the app again)` };
  return { ready: true };
}

/**
 * Whether the dev server would start runs for the app's events: it knows every function the app
 * serves. Until then an event is stored and matches nothing, and the work it stood for is lost,
 * so health says "not ready". Cached briefly, so health checks stay cheap.
 */
export async function inngestReadiness(serverUrl: string, functionIds: readonly string[], now = Date.now()): Promise<InngestReadiness> {
  const hit = cache.get(serverUrl);
  if (hit && now - hit.at < (hit.readiness.ready ? READY_CACHE_MS : NOT_READY_CACHE_MS)) return hit.readiness;
  const readiness = await ask(serverUrl, functionIds);
  cache.set(serverUrl, { at: Date.now(), readiness });
  return readiness;
}
