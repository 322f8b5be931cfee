#!/usr/bin/env node
/**
 * `npm run db:migrate | workspace:create | credits:grant` start here. In production
 * (NODE_ENV=production), or wherever tsx is not installed (it is a dev dependency), the script
 * compiled by `npm run build` runs with plain node (dist/cli/<name>.mjs); in development the
 * TypeScript source runs through tsx, so an edit needs no build.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const [name, ...args] = process.argv.slice(2);
if (!name || !/^[a-z-]+$/.test(name)) {
  console.error("Usage: node scripts/cli.mjs <db-migrate|workspace-create|credits-grant|backup|backup-restore> [flags]");
  process.exit(2);
}

function tsxInstalled() {
  try {
    createRequire(import.meta.url).resolve("tsx");
    return true;
  } catch {
    return false;
  }
}

const compiled = path.join(root, "dist/cli", `${name}.mjs`);
const useCompiled = process.env.NODE_ENV === "production" || !tsxInstalled();
if (useCompiled && !fs.existsSync(compiled)) {
  console.error(`${path.relative(process.cwd(), compiled)} is missing: \`npm run build\` compiles the scripts (or \`node scripts/build-cli.mjs\` alone).`);
  process.exit(1);
}
const argv = useCompiled ? [compiled, ...args] : ["--import", "tsx", path.join(root, "scripts", `${name}.ts`), ...args];
const result = spawnSync(process.execPath, argv, { stdio: "inherit" });
process.exit(result.status ?? 1);
