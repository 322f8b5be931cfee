// Mirrors /proxy.ts (kept under test/app/ with the rest of the dashboard's tests).
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WORKSPACE_COOKIE } from "@/app/_lib/workspace-cookie";
import { basicCredentials, config, dashboardGate, isDashboardPath, proxy } from "@/proxy";

const WORKSPACE_ID = "0b9f6a4e-6f1c-4c35-9d0e-3f3b2a1c0d9e";

function request(path: string, authorization?: string): NextRequest {
  return new NextRequest(`http://localhost:3000${path}`, { headers: authorization ? { authorization } : {} });
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

const env = (vars: Record<string, string>) => vars as unknown as NodeJS.ProcessEnv;
const passes = (response: Response) => response.headers.get("x-middleware-next") === "1";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("isDashboardPath", () => {
  it.each([
    ["/", true],
    ["/notifications", true],
    ["/outbox/abc", true],
    ["/apiary", true],
    ["/api", false],
    ["/api/health", false],
    ["/api/inngest", false],
    ["/api/v1/outbox", false],
    ["/t/o/token", false],
    ["/u/token", false],
  ])("%s → %s", (path, expected) => {
    expect(isDashboardPath(path)).toBe(expected);
  });
});

describe("basicCredentials", () => {
  it.each([
    [basic("admin", "pw"), { user: "admin", password: "pw" }],
    [basic("admin", "a:b:c"), { user: "admin", password: "a:b:c" }],
    [basic("", ""), { user: "", password: "" }],
    [`basic ${Buffer.from("u:p").toString("base64")}`, { user: "u", password: "p" }],
    ["Bearer abc", null],
    [`Basic ${Buffer.from("no-colon").toString("base64")}`, null],
    ["Basic", null],
    [null, null],
  ])("%s", (header, expected) => {
    expect(basicCredentials(header)).toEqual(expected);
  });
});

describe("dashboard gate with DASHBOARD_PASSWORD", () => {
  const withPassword = env({ DASHBOARD_PASSWORD: "correct horse", NODE_ENV: "production" });

  it.each([
    ["no credentials", undefined],
    ["a wrong password", basic("admin", "wrong")],
    ["a wrong user", basic("root", "correct horse")],
    ["a password prefix", basic("admin", "correct")],
    ["a bearer token", "Bearer correct horse"],
  ])("challenges %s with 401 Basic", (_name, authorization) => {
    const response = dashboardGate(request("/outbox", authorization), withPassword);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Basic realm="Sendline dashboard"/);
  });

  it("lets the right credentials through, user admin by default", () => {
    expect(passes(dashboardGate(request("/outbox", basic("admin", "correct horse")), withPassword))).toBe(true);
  });

  it("uses DASHBOARD_USER when set", () => {
    const custom = env({ DASHBOARD_PASSWORD: "pw", DASHBOARD_USER: "ops" });
    expect(passes(dashboardGate(request("/", basic("ops", "pw")), custom))).toBe(true);
    expect(dashboardGate(request("/", basic("admin", "pw")), custom).status).toBe(401);
  });

  it.each(["/api/inngest", "/api/health", "/api/v1/outbox", "/t/o/abc", "/u/abc"])("never gates %s", (path) => {
    expect(passes(dashboardGate(request(path), withPassword))).toBe(true);
  });
});

describe("dashboard gate without DASHBOARD_PASSWORD", () => {
  it("answers 403 in production, saying what to set", async () => {
    const response = dashboardGate(request("/"), env({ NODE_ENV: "production" }));
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("DASHBOARD_PASSWORD");
  });

  it("keeps the API working in production", () => {
    expect(passes(dashboardGate(request("/api/v1/outbox"), env({ NODE_ENV: "production" })))).toBe(true);
  });

  it("is open in development", () => {
    expect(passes(dashboardGate(request("/notifications"), env({ NODE_ENV: "development" })))).toBe(true);
  });
});

describe("workspace selection", () => {
  it("remembers ?workspace=<id> in a cookie and shows it to this request", () => {
    const response = dashboardGate(request(`/outbox?workspace=${WORKSPACE_ID}`), env({}));
    expect(passes(response)).toBe(true);
    expect(response.cookies.get(WORKSPACE_COOKIE)).toMatchObject({ value: WORKSPACE_ID, httpOnly: true, sameSite: "lax", path: "/" });
    expect(response.headers.get("x-middleware-request-cookie")).toContain(`${WORKSPACE_COOKIE}=${WORKSPACE_ID}`);
  });

  it("ignores a value that is not a workspace id", () => {
    const response = dashboardGate(request("/outbox?workspace=%3Cscript%3E"), env({}));
    expect(response.cookies.get(WORKSPACE_COOKIE)).toBeUndefined();
  });

  it("sets nothing before the password check passes", () => {
    const response = dashboardGate(request(`/?workspace=${WORKSPACE_ID}`), env({ DASHBOARD_PASSWORD: "pw" }));
    expect(response.status).toBe(401);
    expect(response.cookies.get(WORKSPACE_COOKIE)).toBeUndefined();
  });
});

describe("proxy", () => {
  it("reads the process environment", () => {
    vi.stubEnv("DASHBOARD_PASSWORD", "from-env");
    expect(proxy(request("/")).status).toBe(401);
    expect(passes(proxy(request("/", basic("admin", "from-env"))))).toBe(true);
  });

  it("skips static assets and the API (whose uploads must stream) in its matcher", () => {
    const [pattern] = config.matcher;
    const regex = new RegExp(`^${pattern!.replace("/((?!", "/(?!").replace(").*)", ").*")}$`);
    expect(regex.test("/_next/static/chunk.js")).toBe(false);
    // The tab icon (app/icon.svg): a browser asks for it before any password is typed.
    expect(regex.test("/icon.svg")).toBe(false);
    expect(regex.test("/api/v1/imports")).toBe(false);
    expect(regex.test("/outbox")).toBe(true);
  });

  it("skips the public tracking and unsubscribe links in its matcher", () => {
    const [pattern] = config.matcher;
    const regex = new RegExp(`^${pattern!.replace("/((?!", "/(?!").replace(").*)", ").*")}$`);
    expect(regex.test("/t/o/token")).toBe(false);
    expect(regex.test("/t/c/token")).toBe(false);
    expect(regex.test("/u/token")).toBe(false);
    expect(regex.test("/templates")).toBe(true);
    expect(regex.test("/users")).toBe(true);
  });
});
