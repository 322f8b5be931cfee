import net from "node:net";

/**
 * Why an address may or may not be connected to. Everything but "public" is refused by the
 * default SSRF policy: these ranges reach the host itself, the private network, cloud metadata
 * services (169.254.169.254, fd00:ec2::254, 100.100.100.200) or nothing routable at all.
 */
export type AddressClass =
  | "public"
  | "unspecified"
  | "loopback"
  | "private"
  | "link-local"
  | "shared"
  | "multicast"
  | "broadcast"
  | "reserved"
  | "invalid";

type Range = { prefix: Uint8Array; bits: number; class: Exclude<AddressClass, "public" | "invalid"> };

/** Strict dotted-decimal only: resolvers and the URL parser hand us canonical text. */
export function parseIpv4(text: string): Uint8Array | undefined {
  if (!net.isIPv4(text)) return undefined;
  return Uint8Array.from(text.split(".").map(Number));
}

/** 16 bytes for any IPv6 text form (compressed, embedded dotted quad, zone id). */
export function parseIpv6(text: string): Uint8Array | undefined {
  const unzoned = text.split("%")[0]!;
  if (!net.isIPv6(unzoned)) return undefined;
  let body = unzoned;
  const lastColon = body.lastIndexOf(":");
  const tail = body.slice(lastColon + 1);
  if (tail.includes(".")) {
    const v4 = parseIpv4(tail);
    if (!v4) return undefined;
    body = `${body.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const [head = "", rest] = body.split("::");
  const headGroups = head ? head.split(":") : [];
  const restGroups = rest ? rest.split(":") : [];
  const zeros = rest === undefined ? 0 : 8 - headGroups.length - restGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill("0"), ...restGroups];
  if (groups.length !== 8) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((group, index) => {
    const value = Number.parseInt(group, 16);
    bytes[index * 2] = value >> 8;
    bytes[index * 2 + 1] = value & 0xff;
  });
  return bytes;
}

function range(cidr: string, cls: Range["class"]): Range {
  const [address, bits] = cidr.split("/") as [string, string];
  const prefix = parseIpv4(address) ?? parseIpv6(address);
  if (!prefix) throw new Error(`bad CIDR ${cidr}`);
  return { prefix, bits: Number(bits), class: cls };
}

function inRange(bytes: Uint8Array, { prefix, bits }: Range): boolean {
  if (bytes.length !== prefix.length) return false;
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (bytes[i] !== prefix[i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (bytes[whole]! & mask) === (prefix[whole]! & mask);
}

// First match wins, so narrower ranges come before the ranges that contain them.
const IPV4_RANGES: Range[] = [
  range("0.0.0.0/8", "unspecified"), // "this network": 0.0.0.0 connects to the local host on Linux
  range("127.0.0.0/8", "loopback"),
  range("10.0.0.0/8", "private"),
  range("172.16.0.0/12", "private"),
  range("192.168.0.0/16", "private"),
  range("169.254.0.0/16", "link-local"), // includes 169.254.169.254, the cloud metadata service
  range("100.64.0.0/10", "shared"), // CGNAT; Alibaba's metadata service is 100.100.100.200
  range("192.0.0.0/24", "reserved"), // IETF protocol assignments
  range("192.0.2.0/24", "reserved"), // documentation
  range("198.51.100.0/24", "reserved"),
  range("203.0.113.0/24", "reserved"),
  range("198.18.0.0/15", "reserved"), // benchmarking
  range("192.88.99.0/24", "reserved"), // 6to4 relay anycast
  range("224.0.0.0/4", "multicast"),
  range("255.255.255.255/32", "broadcast"),
  range("240.0.0.0/4", "reserved"),
];

const IPV6_RANGES: Range[] = [
  range("::/128", "unspecified"),
  range("::1/128", "loopback"),
  range("::/96", "reserved"), // deprecated IPv4-compatible form (::a.b.c.d)
  range("64:ff9b:1::/48", "reserved"), // local-use NAT64
  range("100::/64", "reserved"), // discard-only
  range("2001::/32", "reserved"), // Teredo: the IPv4 inside is obfuscated, so refuse outright
  range("2001:db8::/32", "reserved"), // documentation
  range("fc00::/7", "private"), // unique local; AWS metadata is fd00:ec2::254
  range("fec0::/10", "private"), // deprecated site-local
  range("fe80::/10", "link-local"),
  range("ff00::/8", "multicast"),
];

const IPV4_MAPPED = range("::ffff:0:0/96", "reserved");
const NAT64 = range("64:ff9b::/96", "reserved");
const SIX_TO_FOUR = range("2002::/16", "reserved");
const GLOBAL_UNICAST = range("2000::/3", "reserved");

function classifyIpv4(bytes: Uint8Array): AddressClass {
  return IPV4_RANGES.find((r) => inRange(bytes, r))?.class ?? "public";
}

function classifyIpv6(bytes: Uint8Array): AddressClass {
  // Forms that carry an IPv4 address are judged by that address: ::ffff:127.0.0.1 is loopback.
  if (inRange(bytes, IPV4_MAPPED) || inRange(bytes, NAT64)) return classifyIpv4(bytes.subarray(12));
  if (inRange(bytes, SIX_TO_FOUR)) return classifyIpv4(bytes.subarray(2, 6));
  const special = IPV6_RANGES.find((r) => inRange(bytes, r));
  if (special) return special.class;
  return inRange(bytes, GLOBAL_UNICAST) ? "public" : "reserved";
}

/** The class of an IP address in canonical text form; "invalid" for anything that is not one. */
export function classifyAddress(address: string): AddressClass {
  const v4 = parseIpv4(address);
  if (v4) return classifyIpv4(v4);
  const v6 = parseIpv6(address);
  return v6 ? classifyIpv6(v6) : "invalid";
}

/** The default SSRF policy: only globally routable unicast addresses. */
export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === "public";
}
