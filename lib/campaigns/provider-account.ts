import { createHash } from "node:crypto";
import type { ProviderEnv } from "@/lib/providers/provider-env";

const fingerprint = (secret: string) => createHash("sha256").update(secret).digest("hex").slice(0, 12);

/**
 * The key a provider's rate limit applies to: every workspace sending through the same Resend
 * API key (or Twilio sender) shares it, so chunks of all campaigns are throttled together. The
 * credential appears only as a short hash, since the key travels in events and engine state.
 */
export function providerAccount(channel: "email" | "sms", providerName: string, env: ProviderEnv = process.env, from?: string | null): string {
  if (channel === "email") {
    const apiKey = env.RESEND_API_KEY?.trim();
    return providerName === "resend" && apiKey ? `email:resend:${fingerprint(apiKey)}` : `email:${providerName}`;
  }
  // Twilio's throughput is per sending number: each sender is its own account here.
  const sender = from?.trim() || env.TWILIO_FROM?.trim() || "default";
  return `sms:${providerName}:${sender}`;
}
