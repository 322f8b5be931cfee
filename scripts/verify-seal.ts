/**
 * npm run verify-seal -- <seal.json | https://…/api/public/seals/<id>> [--previous <file|url>] [--keys <file|url>]
 *
 * Verifies a seal offline, trusting nothing the server says about itself: the SHA-256 of the
 * RFC 8785 canonical body against its hash, the Ed25519 signature with the key its id names,
 * the link to the previous seal (given with --previous), and the Merkle proof against the signed
 * daily root. From a URL, the public keys are read from the same site's
 * /.well-known/sendline-seal-key (or --keys) and the seal's key must be among them.
 * Exit code 0: verified; 1: a check failed; 2: the input could not be read.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import type { SealBody, Signed } from "@/core/seals/seal-format";
import { type SealBundle, sealVerified, verifySealBundle } from "@/core/seals/verify-seal";

const isUrl = (source: string) => /^https?:\/\//i.test(source);

async function readJsonSource(source: string): Promise<unknown> {
  if (!isUrl(source)) return JSON.parse(fs.readFileSync(source, "utf8"));
  const response = await fetch(source);
  if (!response.ok) throw new Error(`${source} answered ${response.status}`);
  return response.json();
}

/** A previous seal given as its bundle or as the bare signed seal. */
function signedSeal(value: unknown): Signed<SealBody> {
  const record = value as Partial<SealBundle> & Partial<Signed<SealBody>>;
  return record.seal ?? (record as Signed<SealBody>);
}

let parsed;
try {
  parsed = parseArgs({ options: { previous: { type: "string" }, keys: { type: "string" } }, allowPositionals: true, strict: true });
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const [source] = parsed.positionals;
if (!source || parsed.positionals.length > 1) {
  console.error("Usage: npm run verify-seal -- <seal.json | url> [--previous <file|url>] [--keys <file|url>]");
  process.exit(2);
}

let bundle: SealBundle;
let previous: Signed<SealBody> | undefined;
let trustedKeyIds: string[] | undefined;
try {
  bundle = (await readJsonSource(source)) as SealBundle;
  if (!bundle?.seal?.body || !bundle.key?.jwk) throw new Error("not a seal (expected the JSON of GET /api/public/seals/{id})");
  if (parsed.values.previous) previous = signedSeal(await readJsonSource(parsed.values.previous));
  const keysSource = parsed.values.keys ?? (isUrl(source) ? new URL("/.well-known/sendline-seal-key", source).toString() : undefined);
  if (keysSource) trustedKeyIds = ((await readJsonSource(keysSource)) as { keys: { kid: string }[] }).keys.map((key) => key.kid);
} catch (error) {
  console.error(`Cannot read the seal: ${(error as Error).message}`);
  process.exit(2);
}

const checks = await verifySealBundle(bundle, { previous, trustedKeyIds });
for (const check of checks) console.log(`${check.ok === null ? "-   " : check.ok ? "ok  " : "FAIL"} ${check.check.padEnd(9)} ${check.detail}`);
const verified = sealVerified(checks);
console.log(verified ? `VERIFIED seal ${bundle.seal.body.sequence} of workspace ${bundle.seal.body.workspaceId}` : "NOT VERIFIED");
process.exit(verified ? 0 : 1);
