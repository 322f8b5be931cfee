import { describe, expect, it } from "vitest";
import { metricsAccess } from "@/lib/observability/metrics-access";

describe("who may read /api/metrics", () => {
  it.each([
    ["development without a token: open", { NODE_ENV: "development" }, null, "allowed"],
    ["production without a token: as if absent", { NODE_ENV: "production" }, "Bearer anything", "disabled"],
    ["production, the token", { NODE_ENV: "production", METRICS_TOKEN: "s3cret" }, "Bearer s3cret", "allowed"],
    ["production, the token in another case of 'bearer'", { NODE_ENV: "production", METRICS_TOKEN: "s3cret" }, "bearer s3cret", "allowed"],
    ["production, a wrong token", { NODE_ENV: "production", METRICS_TOKEN: "s3cret" }, "Bearer s3cret2", "unauthorized"],
    ["production, no header", { NODE_ENV: "production", METRICS_TOKEN: "s3cret" }, null, "unauthorized"],
    ["production, Basic auth", { NODE_ENV: "production", METRICS_TOKEN: "s3cret" }, "Basic czNjcmV0", "unauthorized"],
    ["development with a token set: the token is required", { NODE_ENV: "development", METRICS_TOKEN: "s3cret" }, null, "unauthorized"],
  ])("%s", (_case, env, authorization, access) => {
    expect(metricsAccess(authorization, env)).toBe(access);
  });
});
