import { createHash, createHmac } from "node:crypto";
import { CHANNEL_ADDRESS, type Channel } from "./channels";

/** Normalises before hashing so "Ann@Example.com" and "ann@example.com" are one address. */
export function normaliseAddress(channel: Channel, address: string): string {
  const trimmed = address.trim();
  const kind = CHANNEL_ADDRESS[channel];
  return kind === "email" ? trimmed.toLowerCase() : kind === "phone" ? trimmed.replace(/[^\d+]/g, "") : trimmed.toLowerCase();
}

/**
 * The plain SHA-256 of a normalised address: how suppressions were stored before each workspace
 * had a salt. Still computed so those older rows keep matching; never written any more.
 */
export function addressHash(channel: Channel, address: string): string {
  return createHash("sha256").update(`${channel}:${normaliseAddress(channel, address)}`).digest("hex");
}

/**
 * A suppression's hash: HMAC-SHA256 keyed by the workspace's secret salt. Unlike the plain hash,
 * it cannot be reversed by hashing a list of known addresses (or every phone number), and the
 * same address hashes differently in two workspaces. Prefixed so it never equals a plain hash.
 */
export function saltedAddressHash(channel: Channel, address: string, salt: string): string {
  return `s1:${createHmac("sha256", salt).update(`${channel}:${normaliseAddress(channel, address)}`).digest("hex")}`;
}

/** Every hash a suppression of this address may be stored under: the salted one, then the plain one of older rows. */
export function addressHashes(channel: Channel, address: string, salt: string): [salted: string, plain: string] {
  return [saltedAddressHash(channel, address, salt), addressHash(channel, address)];
}
