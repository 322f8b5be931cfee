import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { functions } from "@/inngest/functions";

const FUNCTIONS_DIR = path.resolve("inngest/functions");

function functionFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return functionFiles(full);
    return dir !== FUNCTIONS_DIR && entry.name.endsWith(".ts") ? [full] : [];
  });
}

describe("the function registry", () => {
  const ids = functions.map((fn) => fn.id());

  it("names every function after its file: inngest/functions/<domain>/<id>.ts", () => {
    for (const id of ids) {
      const matches = functionFiles(FUNCTIONS_DIR).filter((file) => path.basename(file, ".ts") === id);
      expect(matches, `no file inngest/functions/<domain>/${id}.ts`).toHaveLength(1);
    }
  });

  it("lists every function file exactly once", () => {
    const files = functionFiles(FUNCTIONS_DIR).map((file) => path.basename(file, ".ts"));
    expect([...ids].sort()).toEqual([...files].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("uses kebab-case verb-noun ids", () => {
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z0-9]+)+$/);
  });
});
