type RouteHandler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

/**
 * Calls a Next route handler the way Next does: a real Request in, a real Response out.
 * `body` may be an object (sent as JSON) or a raw string (sent as-is, for malformed JSON).
 */
export async function callRoute<P = Record<string, never>>(
  handler: RouteHandler<P>,
  options: { method?: string; path: string; apiKey?: string; body?: unknown; params?: P; headers?: Record<string, string> },
  // Tests read arbitrary JSON bodies; asserting on them is the type check.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any; response: Response }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  }
  const request = new Request(`http://localhost${options.path}`, { method: options.method ?? "GET", headers, body });
  const response = await handler(request, { params: Promise.resolve((options.params ?? {}) as P) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, body: parsed, response };
}
