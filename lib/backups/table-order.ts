/**
 * Tables in foreign-key order: every table after the tables it references, ties by name, so a
 * restore inserts parents before children. A cycle (none in the schema today) is an error
 * rather than a load that fails halfway.
 */
export function foreignKeyOrder<T extends { name: string; references: readonly string[] }>(tables: readonly T[]): T[] {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const ordered: T[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (table: T, path: string[]) => {
    const seen = state.get(table.name);
    if (seen === "done") return;
    if (seen === "visiting") throw new Error(`foreign keys form a cycle: ${[...path, table.name].join(" → ")}`);
    state.set(table.name, "visiting");
    for (const name of [...table.references].sort()) {
      const parent = byName.get(name);
      if (parent) visit(parent, [...path, table.name]);
    }
    state.set(table.name, "done");
    ordered.push(table);
  };
  for (const table of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(table, []);
  return ordered;
}
