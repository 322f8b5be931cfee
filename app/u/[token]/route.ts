import { getDatabase } from "@/db";
import { invalidLinkPage, trackingPage } from "@/lib/tracking/tracking-page";
import { signTrackingToken, verifyTrackingToken } from "@/lib/tracking/tracking-token";
import { unsubscribeRecipient } from "@/lib/tracking/unsubscribe-recipient";
import { unsubscribeVia } from "@/lib/tracking/unsubscribe-via";
import { logger } from "@/lib/observability/logger";

type Params = { token: string };

/** Rather than everything, the reader may want less: the same message's preference center, on this site. */
const preferencesLink = (messageId: string) => ({ href: `/p/${signTrackingToken({ action: "p", messageId })}`, text: "Manage your preferences instead" });

/**
 * The confirmation page. It never unsubscribes by itself: link scanners and previews fetch
 * every URL in an email, and a GET that unsubscribed would unsubscribe people who never asked.
 */
export async function GET(_request: Request, context: { params: Promise<Params> }): Promise<Response> {
  const target = verifyTrackingToken((await context.params).token, "u");
  if (!target) return invalidLinkPage();
  return trackingPage({
    status: 200,
    title: "Unsubscribe?",
    message: "You will stop receiving these emails. Messages you need, such as receipts, may still be sent.",
    confirm: "Unsubscribe",
    link: preferencesLink(target.messageId),
  });
}

/**
 * RFC 8058 one-click unsubscribe (`List-Unsubscribe=One-Click` from mail clients) and the
 * confirmation page's form. No cookie or login: the signed token is the authority. Repeats
 * answer the same page and write nothing.
 */
export async function POST(request: Request, context: { params: Promise<Params> }): Promise<Response> {
  const target = verifyTrackingToken((await context.params).token, "u");
  if (!target) return invalidLinkPage();
  try {
    const outcome = await unsubscribeRecipient((await getDatabase()).db, { messageId: target.messageId, via: await unsubscribeVia(request) });
    if (!outcome.found) {
      return trackingPage({ status: 404, title: "This link has expired", message: "The email this link came from is no longer on record." });
    }
  } catch (error) {
    logger.error({ err: error, messageId: target.messageId }, "tracking: unsubscribe failed");
    return trackingPage({ status: 500, title: "Something went wrong", message: "You have not been unsubscribed yet. Please try again in a moment." });
  }
  return trackingPage({ status: 200, title: "You are unsubscribed", message: "You will no longer receive these emails.", link: preferencesLink(target.messageId) });
}
