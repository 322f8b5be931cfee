// bowser (MIT, ~50 KB, no dependencies, released through 2025) rather than ua-parser-js: v2 of
// the latter is AGPL, v1 only gets fixes, and bowser is already in the tree through the AWS SDK.
// It reads browser, OS and platform type; mail clients that are not browsers are named first.
import Bowser from "bowser";
import { isbot } from "isbot";
import type { MachineReason } from "./engagement";
import { isAppleProxyAddress, isSecurityScannerAddress } from "./machine-ranges";

/** Who opened or clicked, as far as a user agent tells: short, closed-ish values (rollups group by them). */
export type ClientInfo = { client: string | null; device: string | null; os: string | null };

export type EngagementClassification = ClientInfo & { machine: MachineReason | null };

/**
 * Mail clients and proxies that a browser parser does not name, first match wins. Gmail and
 * Yahoo fetch images through their own proxies when the reader opens the message: a person, on a
 * device the proxy hides (so no device or OS).
 */
const MAIL_CLIENTS: readonly { pattern: RegExp; client: string; proxy?: true }[] = [
  { pattern: /GoogleImageProxy/i, client: "Gmail", proxy: true },
  { pattern: /YahooMailProxy/i, client: "Yahoo Mail", proxy: true },
  { pattern: /Microsoft Outlook|\bms-office\b|MSOffice/i, client: "Outlook" },
  { pattern: /Thunderbird\//i, client: "Thunderbird" },
  // Apple Mail (macOS and iOS) loads images with WebKit's user agent and no browser token.
  { pattern: /AppleWebKit\/[\d.]+ \(KHTML, like Gecko\)(?: Mobile\/\w+)?$/, client: "Apple Mail" },
];

/**
 * Link and attachment scanners that name themselves. Most gateways borrow a browser's user agent,
 * which is why their address ranges are checked too (machine-ranges.ts).
 */
const SCANNER_USER_AGENT = /barracuda|mimecast|proofpoint|urldefense|safelinks|\bEOP\b|Microsoft Defender|trend ?micro|symantec|forcepoint|fireeye|ironport|sophos|zscaler|bitdefender|avanan|checkpoint/i;

/**
 * The user agent Apple's Mail Privacy Protection proxy sends: nothing but "Mozilla/5.0". Its
 * addresses are Apple's own (17.0.0.0/8) or Apple's egress partners', so the shape alone counts.
 */
const APPLE_PROXY_USER_AGENT = /^Mozilla\/5\.0$/;

const DEVICE_TYPES = new Set(["desktop", "mobile", "tablet", "tv"]);

/** Client, device and OS from a user agent; nulls for what it does not say. */
export function parseUserAgent(userAgent: string | null | undefined): ClientInfo {
  const agent = userAgent?.trim() ?? "";
  if (!agent) return { client: null, device: null, os: null };
  const mail = MAIL_CLIENTS.find((entry) => entry.pattern.test(agent));
  if (mail?.proxy) return { client: mail.client, device: null, os: null };
  const parsed = Bowser.parse(agent);
  const platform = parsed.platform.type;
  return {
    client: mail?.client ?? (parsed.browser.name || null),
    device: platform && DEVICE_TYPES.has(platform) ? platform : null,
    os: parsed.os.name || null,
  };
}

/**
 * Why a pixel load or link follow was a machine, from what the request itself shows (its user
 * agent and address), or null for a person. Order matters: Gmail's and Yahoo's proxies are
 * people although generic bot lists name them; Apple and the scanners get their own reason
 * before the generic list would call them bots. A request with no user agent at all is a
 * script: every mail client and browser sends one.
 */
export function machineReasonOf(request: { userAgent: string | null | undefined; ip: string | null | undefined }): MachineReason | null {
  const agent = request.userAgent?.trim() ?? "";
  if (MAIL_CLIENTS.some((entry) => entry.proxy && entry.pattern.test(agent))) return null;
  if (APPLE_PROXY_USER_AGENT.test(agent) || isAppleProxyAddress(request.ip)) return "apple-privacy-proxy";
  if (SCANNER_USER_AGENT.test(agent) || isSecurityScannerAddress(request.ip)) return "security-scanner";
  if (!agent || isbot(agent)) return "bot-user-agent";
  return null;
}

/** What the tracking routes record about a request: who (parsed user agent) and whether a machine. */
export function classifyEngagement(request: { userAgent: string | null | undefined; ip: string | null | undefined }): EngagementClassification {
  return { ...parseUserAgent(request.userAgent), machine: machineReasonOf(request) };
}

/**
 * An open or click this soon after the message was sent or delivered is a prefetch (a gateway
 * or the mailbox provider fetching on arrival): nobody reads mail within seconds of it landing.
 */
export const PREFETCH_WINDOW_SECONDS = 5;

/** Clicks on one message closer together than this are a scanner following every link: people click one at a time. */
export const CLICK_BURST_SECONDS = 1;

/**
 * The timing test, applied where the message row is read (recordEngagement): `prefetch-timing`
 * for an open or click within PREFETCH_WINDOW_SECONDS after the send or delivery, and for a
 * click within CLICK_BURST_SECONDS of another click on the same message (`otherClicks`: the
 * message's other clicks, this batch's and recently stored ones). Null otherwise; other types
 * are never timed.
 */
export function prefetchTimingOf(fact: {
  type: string;
  occurredAt: Date;
  sentAt: Date | null;
  deliveredAt: Date | null;
  otherClicks?: readonly Date[];
}): MachineReason | null {
  if (fact.type !== "opened" && fact.type !== "clicked") return null;
  const at = fact.occurredAt.getTime();
  for (const landed of [fact.sentAt, fact.deliveredAt]) {
    if (!landed) continue;
    const after = at - landed.getTime();
    if (after >= 0 && after < PREFETCH_WINDOW_SECONDS * 1000) return "prefetch-timing";
  }
  if (fact.type === "clicked" && fact.otherClicks?.some((other) => Math.abs(other.getTime() - at) < CLICK_BURST_SECONDS * 1000)) return "prefetch-timing";
  return null;
}
