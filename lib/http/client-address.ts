/**
 * The client's address as the proxy in front of the app reports it (the first entry of
 * X-Forwarded-For, which Next's own server sets from the socket, else X-Real-IP); null when
 * neither is there. The tracking routes classify and rate-limit with it, the webhook routes
 * rate-limit with it; neither stores it. A client can forge these headers where no proxy
 * rewrites them; the worst it gains is being counted as a person or a machine, or a limit key of its choosing.
 */
export function clientAddress(request: Request): string | null {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("x-real-ip")?.trim() || null;
}
