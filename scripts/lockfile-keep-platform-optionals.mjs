#!/usr/bin/env node
/**
 * npm run lockfile:fix — after `npm install`, run this before committing package-lock.json.
 *
 * Some platform-specific optional packages (e.g. @next/swc-darwin-arm64) are not served by
 * the registry mirror this project is developed against. `npm install` then leaves them out
 * of the lockfile, and `npm ci` refuses that lockfile as out of sync. This records each
 * missing optional dependency with its version and platform, so `npm ci` skips it on other
 * platforms exactly as it would with a complete lockfile.
 */
import fs from "node:fs";

const OSES = ["darwin", "win32", "freebsd", "android", "openharmony", "linux", "sunos", "aix", "netbsd", "openbsd"];
const CPUS = ["arm64", "x64", "ia32", "arm", "loong64", "ppc64", "riscv64", "s390x", "wasm32"];

const file = process.argv[2] ?? "package-lock.json";
const lock = JSON.parse(fs.readFileSync(file, "utf8"));
const packages = lock.packages;
const added = [];

for (const [path, meta] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(meta.optionalDependencies ?? {})) {
    const nested = path ? `${path}/node_modules/${name}` : `node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[nested] || packages[hoisted]) continue;
    const entry = { version: String(spec).replace(/^[\^~=]/, ""), optional: true };
    const cpu = CPUS.find((c) => new RegExp(`[-_]${c}(?=$|[-_])`).test(name));
    const os = OSES.find((o) => name.includes(o));
    if (cpu) entry.cpu = [cpu];
    if (os) entry.os = [os];
    packages[hoisted] = entry;
    added.push(`${name}@${entry.version}`);
  }
}

lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `recorded ${added.length} platform optionals: ${added.join(", ")}` : "lockfile complete");
