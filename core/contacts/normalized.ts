/** What a normaliser returns: the canonical value, or a reason fit to show a person (API field error, import report). */
export type Normalized<T> = { ok: true; value: T } | { ok: false; reason: string };

export const accept = <T>(value: T): Normalized<T> => ({ ok: true, value });
export const reject = (reason: string): Normalized<never> => ({ ok: false, reason });
