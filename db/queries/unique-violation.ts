/**
 * The constraint a unique violation (SQLSTATE 23505) hit, or undefined for any other error.
 * Drizzle wraps driver errors in `cause`; postgres.js names the constraint `constraint_name`,
 * PGlite `constraint`.
 */
export function uniqueViolation(error: unknown): string | undefined {
  for (let current = error, hops = 0; current && typeof current === "object" && hops < 5; hops++) {
    const candidate = current as { code?: unknown; constraint_name?: unknown; constraint?: unknown; cause?: unknown };
    if (candidate.code === "23505") {
      const name = candidate.constraint_name ?? candidate.constraint;
      return typeof name === "string" ? name : "";
    }
    current = candidate.cause;
  }
  return undefined;
}
