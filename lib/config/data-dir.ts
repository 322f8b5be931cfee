import path from "node:path";

/** Where embedded state lives (PGlite files, stored uploads, the engine's database). Git-ignored. */
export function dataDir(): string {
  return path.resolve(process.env.SENDLINE_DATA_DIR ?? ".data");
}
