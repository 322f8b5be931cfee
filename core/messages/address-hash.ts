import { createHash } from "node:crypto";

/** Normalises before hashing so "Ann@Example.com" and "ann@example.com" are one address. */
export function normaliseAddress(channel: "email" | "sms", address: string): string {
  const trimmed = address.trim();
  return channel === "email" ? trimmed.toLowerCase() : trimmed.replace(/[^\d+]/g, "");
}

export function addressHash(channel: "email" | "sms", address: string): string {
  return createHash("sha256").update(`${channel}:${normaliseAddress(channel, address)}`).digest("hex");
}
