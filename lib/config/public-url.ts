import { envValue } from "@/core/config/env";

/** Outside production, links point at the app's own port (PORT, 3000 by default) on localhost. */
export const developmentPublicUrl = (env: NodeJS.ProcessEnv = process.env) => `http://localhost:${envValue("PORT", env)}`;

/**
 * The address recipients reach the app at: tracking and unsubscribe links in sent mail point
 * here, so it must be what the outside world sees, not the bind address. Unset in production
 * is an error rather than a silent localhost that would put dead links into real inboxes.
 * Returned without a trailing slash; a path prefix (https://example.com/sendline) is kept.
 */
export function publicUrl(env: NodeJS.ProcessEnv = process.env): string {
  const value = env.PUBLIC_URL?.trim();
  if (!value) {
    if (env.NODE_ENV === "production") {
      throw new Error("PUBLIC_URL is not set: tracking and unsubscribe links need the app's public address, e.g. PUBLIC_URL=https://mail.example.com.");
    }
    return developmentPublicUrl(env);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`PUBLIC_URL is not a valid URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`PUBLIC_URL must be an http(s) URL, not ${url.protocol}`);
  if (url.search || url.hash) throw new Error("PUBLIC_URL must not have a query string or fragment");
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}
