/**
 * Groups items read one at a time (XLSX rows, vCard cards) into arrays of up to `size`, so
 * every source reaches the import in the same shape as CSV's batches.
 */
export async function* batchesOf<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** One item at a time from a stream of batches, for callers that want them so. */
export async function* eachOf<T>(batches: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}
