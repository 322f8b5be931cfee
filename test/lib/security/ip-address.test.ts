import { describe, expect, it } from "vitest";
import { type AddressClass, classifyAddress, isPublicAddress, parseIpv6 } from "@/lib/security/ip-address";

describe("classifyAddress (the default SSRF policy)", () => {
  it.each<[string, AddressClass]>([
    // IPv4 loopback, private, link-local / metadata, shared (CGNAT)
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.0.0.1", "private"],
    ["10.255.255.255", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link-local"],
    ["169.254.0.1", "link-local"],
    ["100.64.0.1", "shared"],
    ["100.100.100.200", "shared"],
    ["100.127.255.255", "shared"],
    // unspecified, multicast, broadcast, reserved
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.2.10", "reserved"],
    ["198.51.100.7", "reserved"],
    ["203.0.113.9", "reserved"],
    ["198.18.0.1", "reserved"],
    // boundaries that are public
    ["172.15.255.255", "public"],
    ["172.32.0.0", "public"],
    ["100.63.255.255", "public"],
    ["100.128.0.0", "public"],
    ["169.253.255.255", "public"],
    ["11.0.0.1", "public"],
    ["8.8.8.8", "public"],
    ["1.1.1.1", "public"],
    // IPv6
    ["::1", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["::", "unspecified"],
    ["fc00::1", "private"],
    ["fd00:ec2::254", "private"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["febf::1", "link-local"],
    ["fec0::1", "private"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "reserved"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "reserved"],
    ["100::1", "reserved"],
    ["::127.0.0.1", "reserved"],
    ["4000::1", "reserved"],
    ["2606:4700:4700::1111", "public"],
    ["2001:4860:4860::8888", "public"],
    // IPv6 forms carrying an IPv4 address are judged by that address
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["0:0:0:0:0:ffff:7f00:0001", "loopback"],
    ["::ffff:169.254.169.254", "link-local"],
    ["::ffff:a9fe:a9fe", "link-local"],
    ["::ffff:10.1.2.3", "private"],
    ["::ffff:8.8.8.8", "public"],
    ["64:ff9b::10.0.0.1", "private"],
    ["64:ff9b::808:808", "public"],
    ["2002:7f00:1::1", "loopback"],
    ["2002:a9fe:a9fe::", "link-local"],
    ["2002:808:808::1", "public"],
    // not addresses at all
    ["localhost", "invalid"],
    ["0177.0.0.1", "invalid"],
    ["2130706433", "invalid"],
    ["", "invalid"],
  ])("%s → %s", (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
    expect(isPublicAddress(address)).toBe(expected === "public");
  });

  it.each([
    ["::", "00000000000000000000000000000000"],
    ["1::", "00010000000000000000000000000000"],
    ["1:2:3:4:5:6:7:8", "00010002000300040005000600070008"],
    ["::ffff:1.2.3.4", "00000000000000000000ffff01020304"],
    ["fe80::1%eth0", "fe800000000000000000000000000001"],
  ])("parses IPv6 %s to 16 bytes", (text, hex) => {
    expect(Buffer.from(parseIpv6(text)!).toString("hex")).toBe(hex);
  });
});
