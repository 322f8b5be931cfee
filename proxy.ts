import { createHash, timingSafeEqual } from "node:crypto";
import { type NextRequest, NextResponse } from "next/server";
import { WORKSPACE_COOKIE } from "@/app/_lib/workspace-cookie";

/**
 * Paths that are never behind the dashboard password: the API authenticates with API keys
 * (/api/inngest with Inngest's signature, /api/metrics with METRICS_TOKEN), and the tracking and unsubscribe links in sent
 * mail (/t/…, /u/…, the preference center /p/…) must work for recipients with no login at all.
 * Sealed metrics are for anyone to check: the page /seals/{id} and the key at /.well-known/.
 * The restore link of an erasure's recovery email (/erasure/restore) is for its recipient.
 * Images in sent mail (/assets/{id}/{name}) are loaded by recipients' mail clients.
 */
export const PUBLIC_PATH_PREFIXES = ["/api/", "/t/", "/u/", "/p/", "/seals/", "/.well-known/", "/erasure/", "/assets/"] as const;

const WORKSPACE_COOKIE_MAX_AGE_SECONDS = 60 * 60 * 24 * 365;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isDashboardPath(pathname: string): boolean {
  if (pathname === "/api") return false;
  return !PUBLIC_PATH_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}

/** Hashing first gives both sides the same length, so the comparison time reveals nothing. */
function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

/** Parses `Authorization: Basic base64(user:password)`; the password may itself contain ':'. */
export function basicCredentials(header: string | null): { user: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function challenge(): NextResponse {
  return new NextResponse("Authentication required.\n", {
    status: 401,
    headers: { "WWW-Authenticate": 'Basic realm="Sendline dashboard", charset="UTF-8"', "Cache-Control": "no-store" },
  });
}

/**
 * The dashboard gate. With DASHBOARD_PASSWORD set, dashboard pages need HTTP Basic auth
 * (user DASHBOARD_USER, default "admin"). In production without it they answer 403: an
 * operator console across every workspace must never be open by accident.
 */
export function dashboardGate(request: NextRequest, env: NodeJS.ProcessEnv): NextResponse {
  const { pathname, searchParams } = request.nextUrl;
  if (!isDashboardPath(pathname)) return NextResponse.next();

  const password = env.DASHBOARD_PASSWORD;
  if (password) {
    const credentials = basicCredentials(request.headers.get("authorization"));
    // Both comparisons always run, so a wrong user costs the same time as a wrong password.
    const userOk = safeEqual(credentials?.user ?? "", env.DASHBOARD_USER || "admin");
    const passwordOk = safeEqual(credentials?.password ?? "", password);
    if (!credentials || !userOk || !passwordOk) return challenge();
  } else if (env.NODE_ENV === "production") {
    return new NextResponse(
      "The Sendline dashboard is disabled: set DASHBOARD_PASSWORD (and optionally DASHBOARD_USER, default \"admin\") to enable it with HTTP Basic auth.\n",
      { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } },
    );
  }

  // Remember an explicit workspace choice, and show it to this very render (layouts cannot
  // read the query string, but they can read cookies).
  const workspace = searchParams.get("workspace");
  if (workspace && UUID.test(workspace)) {
    request.cookies.set(WORKSPACE_COOKIE, workspace);
    const response = NextResponse.next({ request: { headers: request.headers } });
    response.cookies.set(WORKSPACE_COOKIE, workspace, {
      path: "/",
      httpOnly: true,
      sameSite: "lax",
      secure: request.nextUrl.protocol === "https:",
      maxAge: WORKSPACE_COOKIE_MAX_AGE_SECONDS,
    });
    return response;
  }
  return NextResponse.next();
}

/** Next calls this for every matched request (Next 16 renamed middleware to proxy). */
export function proxy(request: NextRequest): NextResponse {
  return dashboardGate(request, process.env);
}

export const config = {
  // Static assets never need the gate; /api/* never runs through the proxy: it needs no dashboard auth, and Next buffers request
  // bodies that pass through a proxy (10 MB by default), which would cut large imports short. The tracking and unsubscribe
  // links in sent mail (/t/…, /u/…) and its images (/assets/…) skip it too: they are public, and a pixel per open should not pay for a proxy hop.
  matcher: ["/((?!api/|t/|u/|p/|assets/|_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)"],
};
