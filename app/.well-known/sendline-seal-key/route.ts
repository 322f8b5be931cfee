import { NextResponse } from "next/server";
import { getDatabase } from "@/db";
import { listSealKeys } from "@/db/queries/seal-keys";
import { logger } from "@/lib/observability/logger";
import { SealKeyMissingError, sealSigner } from "@/lib/seals/seal-signing-key";

/**
 * The public keys that sign seals: the current one first, then every key that ever signed (a
 * rotation keeps old seals verifiable), each as a JWK (RFC 8037) and SPKI PEM under its key id.
 * `keys` is a JWK Set, so JOSE tools read it as is.
 */
export async function GET(): Promise<Response> {
  const db = (await getDatabase()).db;
  let current = null;
  try {
    current = (await sealSigner()).publicKey;
  } catch (error) {
    if (!(error instanceof SealKeyMissingError)) logger.error({ err: error }, "seals: the signing key cannot be read");
  }
  const used = (await listSealKeys(db)).map((row) => row.publicKey);
  const all = [...(current ? [current] : []), ...used.filter((key) => key.keyId !== current?.keyId)];
  return NextResponse.json(
    {
      current: current?.keyId ?? null,
      keys: all.map((key) => ({ ...key.jwk, kid: key.keyId, alg: "EdDSA", use: "sig", pem: key.pem })),
    },
    { headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" } },
  );
}
