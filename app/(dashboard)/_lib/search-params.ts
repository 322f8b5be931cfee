/** What Next passes a page as `searchParams` (awaited). */
export type SearchParams = Record<string, string | string[] | undefined>;

/** The first value of a query parameter, or undefined when absent or empty. */
export function param(searchParams: SearchParams, name: string): string | undefined {
  const value = searchParams[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === "" ? undefined : first;
}

/** A dashboard link: the path plus every defined, non-empty parameter. */
export function href(path: string, params: Record<string, string | null | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}
