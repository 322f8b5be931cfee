import { execFileSync } from "node:child_process";
import fs from "node:fs";

/**
 * The Chromium the suite drives: CHROMIUM_PATH when set, else `chromium` on the PATH (Debian's
 * package, which `.ci/run` installs). Playwright's own browser downloads are never used: this
 * machine cannot fetch them, and a distribution's browser is what operators run anyway.
 * Null when there is none.
 */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | null {
  const explicit = env.CHROMIUM_PATH?.trim();
  if (explicit) return fs.existsSync(explicit) ? explicit : null;
  for (const name of ["chromium", "chromium-browser"]) {
    try {
      const found = execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
      if (found) return found;
    } catch {
      // not on the PATH: try the next name
    }
  }
  return null;
}
