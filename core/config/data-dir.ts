import path from "node:path";

/**
 * Where embedded state lives (PGlite files, stored uploads, the engine's database). Git-ignored.
 * The ignore comment keeps Next's file tracing out of it: a path it cannot resolve at build
 * time made it trace the whole project (.data/ with the dev database and tracking key, test/,
 * bench/, engine/) into every deployed function. Nothing under it is ever part of a build.
 */
export function dataDir(): string {
  return path.resolve(/* turbopackIgnore: true */ process.env.SENDLINE_DATA_DIR ?? ".data");
}
