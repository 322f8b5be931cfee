import ipaddr from "ipaddr.js";

/**
 * Address ranges whose requests are machines, not readers. Apple owns 17.0.0.0/8 outright: Mail
 * Privacy Protection fetches every remote image from there as soon as a message arrives. The
 * security gateways fetch every link (and often every image) of inbound mail from the ranges
 * their vendors publish for their mail services; keep these lists in step with the vendors'
 * pages (Microsoft "Exchange Online Protection IP addresses", Mimecast "Data Centers and URLs",
 * Proofpoint Essentials "IP addresses", Barracuda "Email Gateway Defense IP ranges").
 *
 * A reader inside one of these networks is rare (an Apple employee at work); one counted as a
 * machine costs a single open, while a gateway counted as a reader inflates every campaign.
 */
export const APPLE_PROXY_RANGES = ["17.0.0.0/8"] as const;

export const SECURITY_SCANNER_RANGES = {
  microsoft: ["40.92.0.0/15", "40.107.0.0/16", "52.100.0.0/14", "104.47.0.0/17", "2a01:111:f400::/48", "2a01:111:f403::/48"],
  mimecast: ["205.139.110.0/24", "207.211.30.0/24", "207.211.31.0/25", "170.10.128.0/24", "170.10.129.0/24", "170.10.132.0/24", "170.10.133.0/24", "185.58.84.0/22", "91.220.42.0/24"],
  proofpoint: ["67.231.144.0/20", "148.163.128.0/19", "208.84.64.0/22", "208.86.200.0/22"],
  barracuda: ["64.235.144.0/20", "209.222.80.0/21", "35.157.190.224/27", "35.176.92.96/27"],
} as const;

type ParsedRange = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parsed once at module load: matching a request is then a handful of prefix compares (ipaddr.js). */
function parseRanges(ranges: readonly string[]): ParsedRange[] {
  return ranges.map((range) => ipaddr.parseCIDR(range));
}

const APPLE = parseRanges(APPLE_PROXY_RANGES);
const SCANNERS = parseRanges(Object.values(SECURITY_SCANNER_RANGES).flat());

/**
 * The address as ipaddr.js reads it, IPv4-mapped IPv6 (`::ffff:17.1.2.3`, what a dual-stack
 * socket reports) turned back into IPv4 so the v4 ranges match it. Undefined for anything else.
 */
function parseAddress(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (!ipaddr.isValid(ip)) return undefined;
  return ipaddr.process(ip);
}

function inRanges(ip: string | null | undefined, ranges: ParsedRange[]): boolean {
  const address = ip ? parseAddress(ip.trim()) : undefined;
  if (!address) return false;
  return ranges.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
}

export const isAppleProxyAddress = (ip: string | null | undefined): boolean => inRanges(ip, APPLE);
export const isSecurityScannerAddress = (ip: string | null | undefined): boolean => inRanges(ip, SCANNERS);
