import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function encode(ms: number, entropy: bigint): string {
  let out = "";
  let t = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  let e = "";
  let r = entropy & ((1n << 80n) - 1n);
  for (let i = 0; i < 16; i++) {
    e = ALPHABET[Number(r & 31n)] + e;
    r >>= 5n;
  }
  return out + e;
}

let lastMs = 0;
let lastEntropy = 0n;

/** Monotonic ULID: ids made in the same millisecond still sort in creation order (jobs are FIFO by id). */
export function ulid(now = Date.now()): string {
  if (now <= lastMs) {
    lastEntropy += 1n;
    return encode(lastMs, lastEntropy);
  }
  lastMs = now;
  lastEntropy = BigInt("0x" + randomBytes(10).toString("hex")) >> 1n;
  return encode(now, lastEntropy);
}

/**
 * Stable event ids from the SDK's `x-inngest-event-id-seed: <ms>,<base64 10 bytes>`: the SDK
 * retries a send with the same seed, so the same ids come out and the retry is de-duplicated.
 */
export function ulidFromSeed(seed: string, index: number): string | undefined {
  const [msText, b64] = seed.split(",");
  const ms = Number(msText);
  if (!Number.isFinite(ms) || !b64) return undefined;
  const bytes = Buffer.from(b64, "base64");
  if (bytes.length !== 10) return undefined;
  return encode(ms, BigInt("0x" + bytes.toString("hex")) + BigInt(index));
}
