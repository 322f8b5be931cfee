import { describe, expect, it } from "vitest";
import { CLICK_BURST_SECONDS, classifyEngagement, machineReasonOf, parseUserAgent, PREFETCH_WINDOW_SECONDS, prefetchTimingOf } from "@/core/analytics/classify-engagement";
import { isAppleProxyAddress, isSecurityScannerAddress } from "@/core/analytics/machine-ranges";

// Real user agents, as mail clients, proxies, gateways and scripts send them.
const UA = {
  gmailProxy: "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
  yahooProxy: "YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html",
  appleMailMac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)",
  appleMailIphone: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
  applePrivacyProxy: "Mozilla/5.0",
  outlookDesktop: "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17531; Pro)",
  thunderbird: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Thunderbird/115.10.1",
  chromeWindows: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
  chromeAndroid: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
  safariIpad: "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  edge: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
  barracuda: "Mozilla/5.0 (compatible; Barracuda Sentinel (EE))",
  headless: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
  pythonRequests: "python-requests/2.31.0",
  curl: "curl/8.5.0",
  googlebot: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
} as const;

describe("parseUserAgent", () => {
  it.each([
    ["Gmail's image proxy", UA.gmailProxy, { client: "Gmail", device: null, os: null }],
    ["Yahoo's image proxy", UA.yahooProxy, { client: "Yahoo Mail", device: null, os: null }],
    ["Apple Mail on macOS", UA.appleMailMac, { client: "Apple Mail", device: "desktop", os: "macOS" }],
    ["Apple Mail on iPhone", UA.appleMailIphone, { client: "Apple Mail", device: "mobile", os: "iOS" }],
    ["Outlook for Windows", UA.outlookDesktop, { client: "Outlook", device: "desktop", os: "Windows" }],
    ["Thunderbird", UA.thunderbird, { client: "Thunderbird", device: "desktop", os: "Windows" }],
    ["Chrome on Windows (webmail)", UA.chromeWindows, { client: "Chrome", device: "desktop", os: "Windows" }],
    ["Chrome on Android", UA.chromeAndroid, { client: "Chrome", device: "mobile", os: "Android" }],
    ["Safari on iPad", UA.safariIpad, { client: "Safari", device: "tablet", os: "iOS" }],
    ["Edge", UA.edge, { client: "Microsoft Edge", device: "desktop", os: "Windows" }],
    ["nothing", "", { client: null, device: null, os: null }],
    ["no header", null, { client: null, device: null, os: null }],
  ])("%s", (_case, userAgent, expected) => {
    expect(parseUserAgent(userAgent)).toEqual(expected);
  });
});

describe("machineReasonOf", () => {
  const person = "203.0.113.9";
  it.each([
    ["Gmail's proxy is a person (although bot lists name it)", UA.gmailProxy, "66.249.84.1", null],
    ["Yahoo's proxy is a person", UA.yahooProxy, "98.136.1.1", null],
    ["Apple Mail opened by its reader", UA.appleMailMac, person, null],
    ["Outlook", UA.outlookDesktop, person, null],
    ["Chrome on Android", UA.chromeAndroid, "2001:db8::7", null],
    ["Apple's privacy proxy by its user agent", UA.applePrivacyProxy, "104.28.1.1", "apple-privacy-proxy"],
    ["Apple's privacy proxy by Apple's address", UA.appleMailMac, "17.58.1.20", "apple-privacy-proxy"],
    ["Apple's address as an IPv4-mapped IPv6 address", UA.appleMailIphone, "::ffff:17.1.2.3", "apple-privacy-proxy"],
    ["a scanner naming itself", UA.barracuda, person, "security-scanner"],
    ["Microsoft Defender / EOP fetching with a browser's agent", UA.chromeWindows, "40.107.22.51", "security-scanner"],
    ["EOP over IPv6", UA.edge, "2a01:111:f403:c000::1", "security-scanner"],
    ["Mimecast", UA.chromeWindows, "205.139.110.61", "security-scanner"],
    ["Proofpoint", UA.chromeWindows, "148.163.150.10", "security-scanner"],
    ["Barracuda by address", UA.chromeWindows, "209.222.82.10", "security-scanner"],
    ["headless Chrome", UA.headless, person, "bot-user-agent"],
    ["python-requests", UA.pythonRequests, person, "bot-user-agent"],
    ["curl", UA.curl, null, "bot-user-agent"],
    ["Googlebot", UA.googlebot, person, "bot-user-agent"],
    ["no user agent at all", null, person, "bot-user-agent"],
  ] as const)("%s", (_case, userAgent, ip, expected) => {
    expect(machineReasonOf({ userAgent, ip })).toBe(expected);
  });

  it("classifies who and whether a machine in one call", () => {
    expect(classifyEngagement({ userAgent: UA.appleMailIphone, ip: "17.0.0.1" })).toEqual({ client: "Apple Mail", device: "mobile", os: "iOS", machine: "apple-privacy-proxy" });
    expect(classifyEngagement({ userAgent: UA.gmailProxy, ip: "66.249.84.1" })).toEqual({ client: "Gmail", device: null, os: null, machine: null });
  });
});

describe("address ranges", () => {
  it.each([
    ["17.0.0.0", true, false],
    ["17.255.255.255", true, false],
    ["18.0.0.1", false, false],
    ["16.255.255.255", false, false],
    ["40.92.1.1", false, true],
    ["40.94.0.1", false, false],
    ["not an address", false, false],
    ["", false, false],
  ])("%s: Apple %s, scanner %s", (ip, apple, scanner) => {
    expect(isAppleProxyAddress(ip)).toBe(apple);
    expect(isSecurityScannerAddress(ip)).toBe(scanner);
  });
});

describe("prefetchTimingOf", () => {
  const sentAt = new Date("2026-12-01T10:00:00.000Z");
  const after = (ms: number) => new Date(sentAt.getTime() + ms);
  it.each([
    ["an open 2 s after the send", "opened", after(2_000), null, [], "prefetch-timing"],
    ["an open just inside the window", "opened", after(PREFETCH_WINDOW_SECONDS * 1000 - 1), null, [], "prefetch-timing"],
    ["an open at the end of the window", "opened", after(PREFETCH_WINDOW_SECONDS * 1000), null, [], null],
    ["an open a minute after the send", "opened", after(60_000), null, [], null],
    ["an open 1 s after a late delivery", "opened", after(120_000), after(119_000), [], "prefetch-timing"],
    ["a click 3 s after the send", "clicked", after(3_000), null, [], "prefetch-timing"],
    ["a click 200 ms after another click", "clicked", after(600_000), null, [after(599_800)], "prefetch-timing"],
    ["a click 200 ms before another click", "clicked", after(600_000), null, [after(600_200)], "prefetch-timing"],
    ["a click 30 s after another click", "clicked", after(600_000), null, [after(570_000)], null],
    ["clicks exactly a burst apart", "clicked", after(600_000), null, [after(600_000 - CLICK_BURST_SECONDS * 1000)], null],
    ["an open near a click (only clicks burst)", "opened", after(600_000), null, [after(600_100)], null],
    ["a delivery right after the send (never timed)", "delivered", after(1_000), null, [], null],
    ["an open timestamped before the send (clock skew)", "opened", after(-1_000), null, [], null],
  ] as const)("%s", (_case, type, occurredAt, deliveredAt, otherClicks, expected) => {
    expect(prefetchTimingOf({ type, occurredAt, sentAt, deliveredAt, otherClicks })).toBe(expected);
  });

  it("says nothing for a message with no send or delivery time", () => {
    expect(prefetchTimingOf({ type: "opened", occurredAt: sentAt, sentAt: null, deliveredAt: null })).toBeNull();
  });
});
