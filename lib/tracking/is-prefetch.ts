/**
 * Browsers and mail clients that fetch a link speculatively say so; such a fetch is not a
 * reader's open or click and must not be counted.
 */
export function isPrefetch(request: Request): boolean {
  const purpose = `${request.headers.get("sec-purpose") ?? ""} ${request.headers.get("purpose") ?? ""} ${request.headers.get("x-moz") ?? ""}`;
  return /\bprefetch\b/i.test(purpose);
}
