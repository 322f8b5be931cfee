import type { Db } from "@/db";
import { connectionsSealedWithOtherKeys, storeMailboxCredentials } from "@/db/queries/mailbox-connections";
import { logger } from "@/lib/observability/logger";
import { type SecretKeys, secretKeys } from "@/lib/security/secret-box";
import { openMailboxCredentials, sealMailboxCredentials } from "./mailbox-credentials";

export type ResealBatch = { resealed: number; unopenable: number; next: string | null };

/**
 * One batch of a key rotation: connections sealed with an older key are opened (any configured
 * key opens) and sealed again under the newest, so the old key can leave ENCRYPTION_KEYS once
 * none is left. Syncs re-seal the connections they touch; this reaches the paused and failed
 * ones too. A value no configured key opens is counted and left (its connection already says so
 * at its next sync); a value a sync replaced meanwhile is left to that sync's newer seal.
 */
export async function resealCredentialsBatch(db: Db, params: { after: string | null; limit: number; keys?: SecretKeys }): Promise<ResealBatch> {
  const keys = params.keys ?? secretKeys();
  const rows = await connectionsSealedWithOtherKeys(db, { currentKeyId: keys.keys[0]!.id, after: params.after, limit: params.limit });
  let resealed = 0;
  let unopenable = 0;
  for (const row of rows) {
    let plaintext: string;
    try {
      plaintext = openMailboxCredentials(row, keys);
    } catch (error) {
      unopenable++;
      logger.warn({ workspaceId: row.workspaceId, connectionId: row.id, keyId: row.credentialsKeyId, reason: (error as Error).message }, "mailbox: credentials cannot be re-sealed");
      continue;
    }
    const sealed = sealMailboxCredentials(row.id, plaintext, keys);
    if (await storeMailboxCredentials(db, { workspaceId: row.workspaceId, connectionId: row.id, ...sealed, replacing: row.credentials! })) resealed++;
  }
  return { resealed, unopenable, next: rows.length < params.limit ? null : rows.at(-1)!.id };
}
