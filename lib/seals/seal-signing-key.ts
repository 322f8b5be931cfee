import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDir } from "@/core/config/data-dir";
import { envValue } from "@/core/config/env";
import { base64UrlToBytes, bytesToBase64Url, hexToBytes, sealKeyId } from "@/core/seals/seal-bytes";
import type { SealPublicKey } from "@/core/seals/seal-format";

/** Why a seal cannot be made; `message` is fit to show to the API caller and the audit log. */
export class SealKeyMissingError extends Error {
  constructor() {
    super(
      "Sealing is refused: SEAL_SIGNING_KEY is not set, and production never signs with a throwaway key. " +
        "Set it to an Ed25519 private key in PKCS#8 PEM (`openssl genpkey -algorithm ed25519`) and keep it: its public key is what readers verify against.",
    );
    this.name = "SealKeyMissingError";
  }
}

export type SealSigner = { publicKey: SealPublicKey; sign(hashHex: string): string };

const DEV_KEY_FILE = "seal-key.pem";

function devKeyPem(dir: string): string {
  const file = path.join(dir, DEV_KEY_FILE);
  fs.mkdirSync(dir, { recursive: true });
  // `wx`: when the app and a script start together, both end up with whichever key was written first.
  try {
    const { privateKey } = generateKeyPairSync("ed25519");
    fs.writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return fs.readFileSync(file, "utf8");
}

/** The public half as published: the raw key as a JWK (RFC 8037), SPKI PEM, and its id. */
export async function publicSealKey(key: KeyObject): Promise<SealPublicKey> {
  const jwk = createPublicKey(key).export({ format: "jwk" });
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || !jwk.x) throw new Error("SEAL_SIGNING_KEY must be an Ed25519 key");
  const pem = createPublicKey(key).export({ type: "spki", format: "pem" }).toString();
  return { keyId: await sealKeyId(base64UrlToBytes(jwk.x)), jwk: { kty: "OKP", crv: "Ed25519", x: jwk.x }, pem };
}

const signers = new Map<string, Promise<SealSigner>>();

async function signerFromPem(pem: string): Promise<SealSigner> {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error("SEAL_SIGNING_KEY must be an Ed25519 private key (PKCS#8 PEM)");
  const publicKey = await publicSealKey(privateKey);
  return { publicKey, sign: (hashHex) => bytesToBase64Url(sign(null, hexToBytes(hashHex), privateKey)) };
}

/**
 * The key that signs seals: SEAL_SIGNING_KEY, else (outside production) one generated once and
 * kept in `<data dir>/seal-key.pem`, so development seals keep verifying after a restart.
 * Production without the variable throws SealKeyMissingError: a seal signed with a key nobody
 * keeps would prove nothing.
 */
export function sealSigner(env: NodeJS.ProcessEnv = process.env): Promise<SealSigner> {
  const configured = envValue("SEAL_SIGNING_KEY", env);
  let pem: string;
  if (configured) pem = configured.includes("\\n") ? configured.replace(/\\n/g, "\n") : configured;
  else if (env.NODE_ENV === "production") return Promise.reject(new SealKeyMissingError());
  else pem = devKeyPem(env.SENDLINE_DATA_DIR ? path.resolve(env.SENDLINE_DATA_DIR) : dataDir());
  let signer = signers.get(pem);
  if (!signer) {
    signer = signerFromPem(pem);
    signers.set(pem, signer);
  }
  return signer;
}
