import { NextResponse } from "next/server";
import { ConfigError } from "@/core/config/env";
import { apiError } from "@/lib/api/responses";
import { vapidKeys } from "@/lib/config/vapid-keys";

/** Read by the customer's pages, on their own origin, before any subscription exists. */
const CORS = { "access-control-allow-origin": "*", "cache-control": "public, max-age=300" };

/** Public: the key is public by design (browsers send it to push services), and a page has no API key. */
export function GET(): Response {
  try {
    return NextResponse.json({ publicKey: vapidKeys().publicKey }, { headers: CORS });
  } catch (error) {
    if (error instanceof ConfigError) return apiError(503, "not_configured", error.message);
    throw error;
  }
}
