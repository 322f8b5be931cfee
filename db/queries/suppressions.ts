import { randomBytes } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db";
import { suppressions, suppressionSalts } from "@/db/schema";
import { addressHashes } from "@/core/messages/address-hash";
import type { Channel } from "@/core/messages/channels";

/**
 * The workspace's secret salt for suppression hashes, drawn on first use. Concurrent first uses
 * agree: the insert keeps whichever salt landed first and every caller reads that one back.
 */
export async function suppressionSalt(db: Db, params: { workspaceId: string }): Promise<string> {
  const [existing] = await db.select({ salt: suppressionSalts.salt }).from(suppressionSalts).where(eq(suppressionSalts.workspaceId, params.workspaceId));
  if (existing) return existing.salt;
  await db
    .insert(suppressionSalts)
    .values({ workspaceId: params.workspaceId, salt: randomBytes(32).toString("base64url") })
    .onConflictDoNothing();
  const [row] = await db.select({ salt: suppressionSalts.salt }).from(suppressionSalts).where(eq(suppressionSalts.workspaceId, params.workspaceId));
  return row!.salt;
}

export async function isSuppressed(db: Db, params: { workspaceId: string; channel: Channel; address: string }): Promise<boolean> {
  const salt = await suppressionSalt(db, params);
  const [row] = await db
    .select({ id: suppressions.id })
    .from(suppressions)
    .where(
      and(
        eq(suppressions.workspaceId, params.workspaceId),
        eq(suppressions.channel, params.channel),
        inArray(suppressions.addressHash, addressHashes(params.channel, params.address, salt)),
      ),
    )
    .limit(1);
  return Boolean(row);
}

/**
 * Idempotent: suppressing an address twice keeps the first reason, also when the first is an
 * older row under the plain hash. New rows are written under the salted hash only.
 */
export async function suppress(db: Db, params: { workspaceId: string; channel: Channel; address: string; reason: string }): Promise<boolean> {
  if (await isSuppressed(db, params)) return false;
  const salt = await suppressionSalt(db, params);
  const [salted] = addressHashes(params.channel, params.address, salt);
  const rows = await db
    .insert(suppressions)
    .values({ workspaceId: params.workspaceId, channel: params.channel, addressHash: salted, reason: params.reason })
    .onConflictDoNothing()
    .returning({ id: suppressions.id });
  return rows.length > 0;
}

/**
 * Lifts a suppression only if it was added for `reason`: an SMS START undoes the STOP that
 * suppressed the number, never a suppression for a failure, a complaint or an erasure.
 */
export async function unsuppress(db: Db, params: { workspaceId: string; channel: Channel; address: string; reason: string }): Promise<boolean> {
  const salt = await suppressionSalt(db, params);
  const rows = await db
    .delete(suppressions)
    .where(
      and(
        eq(suppressions.workspaceId, params.workspaceId),
        eq(suppressions.channel, params.channel),
        inArray(suppressions.addressHash, addressHashes(params.channel, params.address, salt)),
        eq(suppressions.reason, params.reason),
      ),
    )
    .returning({ id: suppressions.id });
  return rows.length > 0;
}

/** Which of `hashes` are suppressed for `reason` (e.g. the erasure's): one probe of the unique index for all of them. */
export async function suppressedHashes(db: Db, params: { workspaceId: string; channel: Channel; reason: string; hashes: readonly string[] }): Promise<Set<string>> {
  if (params.hashes.length === 0) return new Set();
  const rows = await db
    .select({ hash: suppressions.addressHash })
    .from(suppressions)
    .where(
      and(
        eq(suppressions.workspaceId, params.workspaceId),
        eq(suppressions.channel, params.channel),
        eq(suppressions.reason, params.reason),
        inArray(suppressions.addressHash, [...params.hashes]),
      ),
    );
  return new Set(rows.map((row) => row.hash));
}
