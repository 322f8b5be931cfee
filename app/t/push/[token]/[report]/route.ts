import { getDatabase } from "@/db";
import { logger } from "@/lib/observability/logger";
import { PUSH_REPORTS, type PushReport, verifyPushReportToken } from "@/lib/push/push-report-token";
import { recordPushReport } from "@/lib/push/record-push-report";

type Params = { token: string; report: string };

/**
 * The service worker (public/sendline-push-sw.js) runs on the customer's origin: a bodiless POST
 * is a CORS "simple request", so no preflight is needed, and `*` is safe because the signed token
 * is the whole authorisation (it names one message and only moves it forward).
 */
const CORS = { "access-control-allow-origin": "*" };

export async function POST(_request: Request, context: { params: Promise<Params> }): Promise<Response> {
  const { token, report } = await context.params;
  const messageId = verifyPushReportToken(token);
  if (!messageId || !(PUSH_REPORTS as readonly string[]).includes(report)) return new Response(null, { status: 404, headers: CORS });
  try {
    const known = await recordPushReport((await getDatabase()).db, { messageId, report: report as PushReport });
    return new Response(null, { status: known ? 204 : 404, headers: CORS });
  } catch (error) {
    logger.error({ err: error, messageId, report }, "push: recording a device report failed");
    return new Response(null, { status: 503, headers: { ...CORS, "retry-after": "30" } });
  }
}

export function OPTIONS(): Response {
  return new Response(null, { status: 204, headers: { ...CORS, "access-control-allow-methods": "POST", "access-control-max-age": "86400" } });
}
