import { getDatabase } from "@/db";
import { readBodyText } from "@/lib/api/read-body";
import { logger } from "@/lib/observability/logger";
import { loadPreferenceCenter, savePreferenceCenter } from "@/lib/preferences/preference-center";
import { preferenceCenterPage } from "@/lib/preferences/preference-center-page";
import { invalidLinkPage, trackingPage } from "@/lib/tracking/tracking-page";
import { verifyTrackingToken } from "@/lib/tracking/tracking-token";

type Params = { token: string };

const PREFERENCE_FORM_MAX_BYTES = 64 * 1024;

const gonePage = () =>
  trackingPage({ status: 404, title: "This link has expired", message: "The message this link came from is no longer on record, so its preferences cannot be shown." });

/** The preference center of a message's recipient. No login: the signed token is the authority, as for unsubscribing. */
export async function GET(request: Request, context: { params: Promise<Params> }): Promise<Response> {
  const target = verifyTrackingToken((await context.params).token, "p");
  if (!target) return invalidLinkPage();
  const center = await loadPreferenceCenter((await getDatabase()).db, { messageId: target.messageId });
  if (!center) return gonePage();
  return preferenceCenterPage(center, { saved: new URL(request.url).searchParams.has("saved") });
}

/**
 * Saves the form, then redirects to the page (post/redirect/get: a reload shows the choice and
 * never posts again). Only the token in the path authorises it, and another site cannot read it;
 * a browser's `Sec-Fetch-Site: cross-site` is refused all the same, so no page elsewhere can
 * post a form here on a recipient's behalf.
 */
export async function POST(request: Request, context: { params: Promise<Params> }): Promise<Response> {
  const { token } = await context.params;
  const target = verifyTrackingToken(token, "p");
  if (!target) return invalidLinkPage();
  if (request.headers.get("sec-fetch-site") === "cross-site") {
    return trackingPage({ status: 403, title: "Not saved", message: "Please change your preferences from the page itself." });
  }
  try {
    const { db } = await getDatabase();
    const center = await loadPreferenceCenter(db, { messageId: target.messageId });
    if (!center) return gonePage();
    // The form is a few hundred bytes; anything past 64 KiB is not it.
    const body = await readBodyText(request, PREFERENCE_FORM_MAX_BYTES);
    if (!body.ok) return trackingPage({ status: 413, title: "Not saved", message: "The form sent was too large." });
    await savePreferenceCenter(db, center, new URLSearchParams(body.text));
  } catch (error) {
    logger.error({ err: error, messageId: target.messageId }, "preferences: saving the preference center failed");
    return trackingPage({ status: 500, title: "Something went wrong", message: "Your preferences are not saved yet. Please try again in a moment." });
  }
  return new Response(null, { status: 303, headers: { Location: `/p/${token}?saved=1`, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" } });
}
