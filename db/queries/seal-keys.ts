import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { sealKeys } from "@/db/schema";
import type { SealPublicKey } from "@/core/seals/seal-format";

/** Records a public key the first time it signs; later calls change nothing. */
export async function recordSealKey(db: Db, publicKey: SealPublicKey): Promise<void> {
  await db.insert(sealKeys).values({ keyId: publicKey.keyId, publicKey }).onConflictDoNothing();
}

export async function getSealKey(db: Db, params: { keyId: string }): Promise<SealPublicKey | undefined> {
  const [row] = await db.select({ publicKey: sealKeys.publicKey }).from(sealKeys).where(eq(sealKeys.keyId, params.keyId));
  return row?.publicKey;
}

export async function listSealKeys(db: Db): Promise<{ publicKey: SealPublicKey; firstUsedAt: Date }[]> {
  return db.select({ publicKey: sealKeys.publicKey, firstUsedAt: sealKeys.firstUsedAt }).from(sealKeys).orderBy(asc(sealKeys.firstUsedAt));
}
