import { parseArgs } from "node:util";

/** `--name x --json` style flags for the project's small CLIs; unknown flags are errors. */
export function cliArgs<T extends Record<string, { type: "string" | "boolean" }>>(options: T) {
  try {
    return parseArgs({ options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}
