/**
 * Part of `npm run build`: compiles the operator scripts (db:migrate, workspace:create,
 * credits:grant, backup, backup:restore) into plain JavaScript under dist/cli/, so a production install, which has
 * no tsx (a dev dependency), can run them with node. Everything is bundled except the
 * database drivers, which load native and wasm files beside their own modules and are the
 * app's dependencies anyway (Next's standalone output carries them too).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const CLI_SCRIPTS = ["db-migrate", "workspace-create", "credits-grant", "backup", "backup-restore"];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export async function buildCli(outdir = path.join(root, "dist/cli")) {
  await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(CLI_SCRIPTS.map((name) => [name, `scripts/${name}.ts`])),
    outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    tsconfig: "tsconfig.json",
    external: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "postgres"],
    // Bundled CommonJS dependencies still call require().
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
    logLevel: "warning",
  });
  return outdir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outdir = await buildCli(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`Compiled ${CLI_SCRIPTS.join(", ")} into ${path.relative(process.cwd(), outdir) || "."}/`);
}
