import { publicUrl } from "./public-url";

/** Where app/api/inngest/route.ts is served, below PUBLIC_URL. */
export const INNGEST_SERVE_PATH = "/api/inngest";

export type InngestServeOptions = { serveOrigin?: string; servePath?: string; enableUnauthedSync?: boolean };

/**
 * Left to itself, the SDK builds the URL it registers from the request's Host header, so one
 * unauthenticated `PUT /api/inngest` with a forged Host re-registered every function at another
 * address, and Inngest then sent every call (event data, step state) there. In production the
 * registered address is PUBLIC_URL's, whatever the request says, and only signed syncs are
 * accepted: the Inngest dashboard, its Vercel integration, its REST API and a self-hosted
 * Inngest server all sign theirs. Outside production the SDK infers the URL as usual (the
 * local engine syncs http://127.0.0.1:$PORT/api/inngest).
 *
 * INNGEST_SERVE_ORIGIN, when set, is the address instead: a self-hosted Inngest server next to
 * the app calls it privately (http://app:3000 in compose.yaml) rather than through the public
 * address. An unset PUBLIC_URL leaves the origin to the SDK only during `next build` and in a
 * server that start-up has already refused (instrumentation.ts), so this never throws.
 */
export function inngestServeOptions(env: NodeJS.ProcessEnv = process.env): InngestServeOptions {
  if (env.NODE_ENV !== "production") return {};
  const privateOrigin = env.INNGEST_SERVE_ORIGIN?.trim();
  if (privateOrigin) return { serveOrigin: new URL(privateOrigin).origin, servePath: INNGEST_SERVE_PATH, enableUnauthedSync: false };
  let base: URL;
  try {
    base = new URL(publicUrl(env));
  } catch {
    return { enableUnauthedSync: false };
  }
  return { serveOrigin: base.origin, servePath: `${base.pathname.replace(/\/+$/, "")}${INNGEST_SERVE_PATH}`, enableUnauthedSync: false };
}
