import { publicUrl } from "@/lib/config/public-url";

/**
 * The URL a provider called, as it saw it: Twilio signs the public URL, while behind a proxy or
 * load balancer the request reaches the app under another host. The base is PUBLIC_URL (the
 * app's public address, shared with tracking links); when only TWILIO_STATUS_CALLBACK_URL is
 * set, its origin, which already names this app publicly; otherwise publicUrl()'s development
 * default. Throws (from publicUrl) for a malformed PUBLIC_URL, or none in production.
 */
export function publicWebhookUrl(requestUrl: string, env: NodeJS.ProcessEnv = process.env): string {
  const callback = env.TWILIO_STATUS_CALLBACK_URL?.trim();
  const base = !env.PUBLIC_URL?.trim() && callback ? new URL(callback).origin : publicUrl(env);
  const url = new URL(requestUrl);
  return `${base}${url.pathname}${url.search}`;
}
