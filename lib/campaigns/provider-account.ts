import { createHash } from "node:crypto";
import { type Env, envValue } from "@/core/config/env";
import type { Channel } from "@/core/messages/channels";

const fingerprint = (secret: string) => createHash("sha256").update(secret).digest("hex").slice(0, 12);

/**
 * The key a provider's rate limit applies to: every workspace sending through the same Resend
 * API key (or Twilio sender) shares it, so chunks of all campaigns are throttled together. The
 * credential appears only as a short hash, since the key travels in events and engine state.
 */
export function providerAccount(channel: Channel, providerName: string, env: Env = process.env, from?: string | null): string {
  if (channel === "email") {
    const apiKey = envValue("RESEND_API_KEY", env);
    return providerName === "resend" && apiKey ? `email:resend:${fingerprint(apiKey)}` : `email:${providerName}`;
  }
  // Twilio's throughput is per sending number: each sender is its own account here.
  const sender = from?.trim() || envValue("TWILIO_FROM", env) || "default";
  return `sms:${providerName}:${sender}`;
}
