import { getDatabase } from "@/db";
import { apiError, notFound } from "@/lib/api/responses";
import { metricsAccess } from "@/lib/observability/metrics-access";
import { renderMetrics } from "@/lib/observability/render-metrics";

export const dynamic = "force-dynamic";

/** Prometheus' scrape target (text exposition format); see README "Metrics, logs and traces". */
export async function GET(request: Request): Promise<Response> {
  const access = metricsAccess(request.headers.get("authorization"));
  if (access === "disabled") return notFound();
  if (access === "unauthorized") {
    const response = apiError(401, "unauthorized", "Send Authorization: Bearer <METRICS_TOKEN>");
    response.headers.set("WWW-Authenticate", 'Bearer realm="Sendline metrics"');
    return response;
  }
  const { contentType, body } = await renderMetrics(async () => (await getDatabase()).db);
  return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
}
