import type { EngineContext } from "./context";
import { nextCronTime } from "./cron";
import { functionProblems } from "./function-problems";
import { canonicalBody, signBody } from "./signing";
import type { FnConfig } from "./types";

/**
 * Syncs an app the way Inngest does: `PUT <serve url>`. The SDK answers in-band with its
 * functions, or (out-of-band) POSTs them to our `/fn/register` before it answers.
 */
export async function syncApp(ctx: EngineContext, url: string): Promise<{ appId: string | null; functions: number }> {
  const body = ctx.signingKey ? canonicalBody({ url }) : JSON.stringify({ url });
  const headers: Record<string, string> = { "content-type": "application/json", "x-inngest-sync-kind": "in_band" };
  if (ctx.signingKey) headers["x-inngest-signature"] = signBody(body, ctx.signingKey);
  const res = await ctx.transport({ url, method: "PUT", headers, body, signal: AbortSignal.timeout(30_000) });
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(res.text) as Record<string, unknown>;
  } catch {
    // fall through to the status check
  }
  if (res.status >= 300) {
    const msg = `sync of ${url} failed: HTTP ${res.status} ${res.text.slice(0, 300)}`;
    await ctx.store.upsertApp(url, null, null, msg);
    throw new Error(msg);
  }
  if (res.headers.get("x-inngest-sync-kind") === "in_band" && Array.isArray(json.functions)) {
    const appId = String(json.app_id ?? json.appName ?? "app");
    await registerFunctions(ctx, url, appId, json.functions as FnConfig[], json);
    return { appId, functions: json.functions.length };
  }
  // Out-of-band: /fn/register already stored the functions during the PUT.
  const app = (await ctx.store.listApps()).find((a) => a.url === url);
  const count = (await ctx.store.listFunctions()).filter((f) => f.app_url === url).length;
  return { appId: app?.app_id ?? null, functions: count };
}

/** A registration the engine refuses to store (answered 400, never kept). */
export class RegistrationError extends Error {
  override readonly name = "RegistrationError";
}

export const refusal = (url: string) => `refusing app URL ${url}: only loopback http(s) URLs are allowed (ENGINE_ALLOW_NON_LOOPBACK=1 lifts this)`;

/** Every URL a registration would make the engine call: the app's, and each function's step runtime. */
function urlsOf(url: string, fns: FnConfig[]): string[] {
  return [url, ...fns.flatMap((fn) => Object.values(fn.steps ?? {}).map((step) => step.runtime?.url ?? url))];
}

/** Stores an app's functions (from either sync kind) and (re)arms cron schedules. */
export async function registerFunctions(ctx: EngineContext, url: string, appId: string, fns: FnConfig[], info: unknown) {
  const refused = urlsOf(url, fns).find((u) => !ctx.allowsAppUrl(u));
  if (refused !== undefined) throw new RegistrationError(refusal(refused));
  const invalid = fns.flatMap((fn) => functionProblems(fn).map((p) => `function ${fn.id}: ${p}`));
  if (invalid.length) {
    // Nothing of the app is stored (as Inngest refuses the whole sync); the app's row says why.
    const message = `invalid function configuration: ${invalid.join("; ")}`;
    await ctx.store.upsertApp(url, appId, null, message);
    throw new RegistrationError(message);
  }
  // Functions first: the app row's synced_at is what `npm run dev` waits for, and it must not
  // see the new sync while the previous run's functions are still the stored ones.
  await ctx.store.replaceFunctions(url, appId, fns);
  await ctx.store.upsertApp(url, appId, info, null);
  const wanted = new Map<string, { fnId: string; cron: string }>();
  for (const fn of await ctx.store.listFunctions())
    for (const t of fn.config.triggers) if ("cron" in t) wanted.set(`${fn.id}\n${t.cron}`, { fnId: fn.id, cron: t.cron });
  // Keep armed schedules that still exist so a restart or re-sync never skips or doubles a tick.
  for (const job of await ctx.store.jobsOfKind("cron")) {
    const k = `${String(job.payload.fnId)}\n${String(job.payload.cron)}`;
    if (wanted.has(k)) wanted.delete(k);
    else await ctx.store.deleteJob(job.id);
  }
  for (const { fnId, cron } of wanted.values()) {
    const next = nextCronTime(cron, Date.now());
    if (next !== undefined) await ctx.store.insertJob("cron", next, { payload: { fnId, cron }, id: `cron:${fnId}:${cron}:${next}` });
  }
  ctx.log.info(`synced ${appId} at ${url}: ${fns.length} functions`);
  ctx.poke();
}

/**
 * Drops stored apps and functions whose URLs the engine may no longer call (stored under other
 * rules or by an older engine), so a registration never outlives the rule that refuses it.
 */
export async function forgetDisallowedApps(ctx: EngineContext): Promise<string[]> {
  const dropped: string[] = [];
  for (const app of await ctx.store.listApps()) {
    if (ctx.allowsAppUrl(app.url)) continue;
    await ctx.store.forgetApp(app.url);
    dropped.push(`forgot app ${app.url}: ${refusal(app.url)}`);
  }
  for (const fn of await ctx.store.listFunctions()) {
    const refused = urlsOf(fn.app_url, [fn.config]).find((u) => !ctx.allowsAppUrl(u));
    if (refused === undefined) continue;
    await ctx.store.deleteFunction(fn.id);
    dropped.push(`forgot function ${fn.id}: ${refusal(refused)}`);
  }
  return dropped;
}
