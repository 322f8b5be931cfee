import { expect } from "vitest";

/**
 * The error `promise` rejects with, checked to be a `type`: the test fails if it resolves or
 * rejects with anything else. For asserting on an error's fields (kind, status, message).
 */
export async function rejectionOf<T>(promise: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(type);
  return error as T;
}
