import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

/**
 * The floors of the code base, lowest first, and what each may import (docs/DESIGN.md, "Layers
 * point down only"). `tools` (tests, benchmarks, scripts) sit outside the building and may use
 * anything; `engine` is a separate program that only tools may start.
 */
const SOURCE = /\.(ts|tsx|mts|js|mjs)$/;

export type Layer = "floor" | "db" | "lib" | "inngest" | "app" | "engine" | "tools";

export const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  floor: ["floor"],
  db: ["floor", "db"],
  lib: ["floor", "db", "lib"],
  inngest: ["floor", "db", "lib", "inngest"],
  app: ["floor", "db", "lib", "inngest", "app"],
  engine: ["engine"],
  tools: ["floor", "db", "lib", "inngest", "app", "engine", "tools"],
};

/** The floor of a source file or module (a path relative to the project root), or undefined for files outside the rules. */
export function layerOf(file: string): Layer | undefined {
  if (file.startsWith("core/")) return "floor";
  const top = file.split("/")[0]!;
  if (top === "db" || top === "lib" || top === "inngest" || top === "app" || top === "engine") return top;
  if (["proxy", "instrumentation", "instrumentation-node"].includes(file.replace(SOURCE, ""))) return "app";
  if (top === "test" || top === "bench" || top === "scripts") return "tools";
  return undefined;
}

/** One import of one of our files by another, both relative to the project root. */
export type ImportEdge = { from: string; to: string };

export type UpwardImport = ImportEdge & { fromLayer: Layer; toLayer: Layer };

/** Every import that goes to a floor its file may not import. */
export function upwardImports(edges: readonly ImportEdge[]): UpwardImport[] {
  const found: UpwardImport[] = [];
  for (const edge of edges) {
    const fromLayer = layerOf(edge.from);
    const toLayer = layerOf(edge.to);
    if (!fromLayer || !toLayer) continue;
    if (!MAY_IMPORT[fromLayer].includes(toLayer)) found.push({ ...edge, fromLayer, toLayer });
  }
  return found;
}

const SKIPPED_DIRS = new Set(["node_modules", ".next", ".data", ".git", "migrations", "fixtures"]);

function sourceFiles(root: string, dir = ""): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    if (entry.name.startsWith(".") || SKIPPED_DIRS.has(entry.name)) continue;
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...sourceFiles(root, relative));
    else if (SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts")) files.push(relative);
  }
  return files;
}

/** The project file a specifier names (`@/x` is the project root), or undefined for a package. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (specifier.startsWith("@/")) return path.posix.normalize(specifier.slice(2));
  if (specifier.startsWith(".")) return path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  return undefined;
}

/**
 * Every import, re-export and dynamic import between the project's own files, read with the
 * TypeScript compiler's pre-processor (comments and strings are not mistaken for imports).
 * Targets are module paths without an extension; a folder import keeps the folder's name.
 */
export function importGraph(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of sourceFiles(root)) {
    const info = ts.preProcessFile(fs.readFileSync(path.join(root, file), "utf8"), true, true);
    for (const imported of info.importedFiles) {
      const target = resolveSpecifier(file, imported.fileName);
      if (target) edges.push({ from: file, to: target });
    }
  }
  return edges;
}
