/**
 * `compute` remembered by its string argument, for checks that an import asks of the same few
 * values a million times (time zones, email domains, vCard shapes). Bounded: past `maxEntries`
 * the memory is dropped and starts again, so hostile input cannot grow it without limit.
 */
export function boundedMemo<T>(compute: (key: string) => T, maxEntries: number): (key: string) => T {
  const results = new Map<string, T>();
  return (key) => {
    if (results.has(key)) return results.get(key)!;
    const result = compute(key);
    if (results.size >= maxEntries) results.clear();
    results.set(key, result);
    return result;
  };
}
