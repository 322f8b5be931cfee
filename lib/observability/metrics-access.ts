import { createHash, timingSafeEqual } from "node:crypto";
import { type Env, envValue } from "@/core/config/env";

export type MetricsAccess = "allowed" | "unauthorized" | "disabled";

function sameSecret(a: string, b: string): boolean {
  // Hashing first gives both sides the same length, so the comparison time reveals nothing.
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

/**
 * Who may read /api/metrics. With METRICS_TOKEN set, only `Authorization: Bearer <token>`.
 * Without it, development is open (a local Prometheus needs no setup) and production answers
 * as if the route did not exist: metrics name functions, providers and volumes, which is
 * nobody's business by default.
 */
export function metricsAccess(authorization: string | null, env: Env = process.env): MetricsAccess {
  const token = envValue("METRICS_TOKEN", env);
  if (!token) return env.NODE_ENV === "production" ? "disabled" : "allowed";
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1] ?? "";
  return sameSecret(presented, token) ? "allowed" : "unauthorized";
}
