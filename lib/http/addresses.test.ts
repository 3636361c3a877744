// Addresses are decided on bytes: every spelling of one address parses to the same bytes, IPv6 forms
// that carry an IPv4 address are judged by that IPv4 address, and the special-purpose ranges of both
// families are reserved while public unicast addresses are not.
import { describe, expect, it } from "vitest";
import { addressKey, formatIp, parseIp, reservedRange } from "./addresses";

const hex = (text: string) => {
  const bytes = parseIp(text);
  return bytes ? Buffer.from(bytes).toString("hex") : null;
};

describe("IP addresses", () => {
  it("parse every spelling of an address to the same bytes", () => {
    for (const spelling of ["127.0.0.1", "127.1", "127.0.1", "0x7f.1", "0x7F.0.0.1", "0177.0.0.1", "017700000001", "2130706433", "0x7f000001", "127.0.0.1."]) {
      expect(hex(spelling), spelling).toBe("7f000001");
    }
    const mapped = "00000000000000000000ffff7f000001";
    for (const spelling of [
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "[::ffff:7f00:1]",
      "0:0:0:0:0:ffff:127.0.0.1",
      "0:0:0:0:0:FFFF:7F00:0001",
      "::FFFF:7f00:1%eth0",
      "0::ffff:7f00:1",
    ]) {
      expect(hex(spelling), spelling).toBe(mapped);
    }
    expect(hex("::")).toBe("0".repeat(32));
    expect(hex("::1")).toBe(`${"0".repeat(31)}1`);
    expect(hex("1::")).toBe(`0001${"0".repeat(28)}`);
    expect(hex("fe80::1:2")).toBe("fe800000000000000000000000010002");
  });

  it("refuse what is no address", () => {
    for (const text of [
      "example.com",
      "1.2.3.4.5",
      "256.1.1.1",
      "1.2.3.256",
      "4294967296",
      "08.1.1.1",
      "0x7g.1",
      "1..2",
      "",
      ":::",
      "1:2:3:4:5:6:7:8:9",
      "1::2::3",
      "12345::",
      "::1.2.3",
      "::01.2.3.4",
      "1.2.3.4::",
      "g::1",
    ]) {
      expect(parseIp(text), text).toBeNull();
    }
  });

  it("write an address the usual way and key it by what it reaches", () => {
    expect(formatIp(parseIp("0:0:0:0:0:ffff:127.0.0.1")!)).toBe("::ffff:7f00:1");
    expect(formatIp(parseIp("2001:db8:0:0:1:0:0:1")!)).toBe("2001:db8::1:0:0:1");
    expect(formatIp(parseIp("0x7f.1")!)).toBe("127.0.0.1");
    expect(addressKey(parseIp("::ffff:7f00:1")!)).toBe(addressKey(parseIp("127.0.0.1")!));
    expect(addressKey(parseIp("64:ff9b::7f00:1")!)).not.toBe(addressKey(parseIp("127.0.0.1")!));
  });

  it.each([
    // IPv4 special-purpose registry, multicast and broadcast.
    ["0.0.0.0", "0.0.0.0/8"],
    ["10.20.30.40", "10.0.0.0/8"],
    ["100.64.0.1", "100.64.0.0/10"],
    ["127.0.0.1", "127.0.0.0/8"],
    ["127.255.255.254", "127.0.0.0/8"],
    ["169.254.169.254", "169.254.0.0/16"],
    ["172.16.5.4", "172.16.0.0/12"],
    ["172.31.255.255", "172.16.0.0/12"],
    ["192.0.0.8", "192.0.0.0/24"],
    ["192.0.2.1", "192.0.2.0/24"],
    ["192.31.196.1", "192.31.196.0/24"],
    ["192.52.193.1", "192.52.193.0/24"],
    ["192.88.99.1", "192.88.99.0/24"],
    ["192.168.1.1", "192.168.0.0/16"],
    ["192.175.48.1", "192.175.48.0/24"],
    ["198.18.0.1", "198.18.0.0/15"],
    ["198.19.255.255", "198.18.0.0/15"],
    ["198.51.100.7", "198.51.100.0/24"],
    ["203.0.113.9", "203.0.113.0/24"],
    ["224.0.0.1", "224.0.0.0/4"],
    ["239.255.255.250", "224.0.0.0/4"],
    ["240.0.0.1", "240.0.0.0/4"],
    ["255.255.255.255", "240.0.0.0/4"],
    // IPv6 special-purpose registry, site-local, multicast and everything outside 2000::/3.
    ["::", "::/128"],
    ["::1", "::1/128"],
    ["64:ff9b:1::a00:1", "64:ff9b:1::/48"],
    ["100::1", "100::/64"],
    ["100:0:0:1::1", "100:0:0:1::/64"],
    ["2001:2::1", "2001::/23"],
    ["2001:10::1", "2001::/23"],
    ["2001:20::1", "2001::/23"],
    ["2001:1::1", "2001::/23"],
    ["2001:db8::1", "2001:db8::/32"],
    ["2620:4f:8000::1", "2620:4f:8000::/48"],
    ["3fff::1", "3fff::/20"],
    ["5f00::1", "5f00::/16"],
    ["fc00::1", "fc00::/7"],
    ["fd00:ec2::254", "fc00::/7"],
    ["fe80::1", "fe80::/10"],
    ["febf::1", "fe80::/10"],
    ["fec0::1", "fec0::/10"],
    ["ff02::1", "ff00::/8"],
    ["4000::1", "2000::/3"],
    ["1::1", "2000::/3"],
  ])("reserve %s (%s)", (address, cidr) => {
    expect(reservedRange(parseIp(address)!)).toMatchObject({ cidr });
  });

  it.each([
    ["::ffff:127.0.0.1", "127.0.0.0/8", "IPv4-mapped"],
    ["::ffff:7f00:1", "127.0.0.0/8", "IPv4-mapped"],
    ["::ffff:169.254.169.254", "169.254.0.0/16", "IPv4-mapped"],
    ["::ffff:a9fe:a9fe", "169.254.0.0/16", "IPv4-mapped"],
    ["::ffff:10.0.0.1", "10.0.0.0/8", "IPv4-mapped"],
    ["::ffff:0:127.0.0.1", "127.0.0.0/8", "IPv4-translated"],
    ["::127.0.0.1", "127.0.0.0/8", "IPv4-compatible"],
    ["::a9fe:a9fe", "169.254.0.0/16", "IPv4-compatible"],
    ["64:ff9b::127.0.0.1", "127.0.0.0/8", "NAT64"],
    ["64:ff9b::a9fe:a9fe", "169.254.0.0/16", "NAT64"],
    ["2002:7f00:1::", "127.0.0.0/8", "6to4"],
    ["2002:a9fe:a9fe::1", "169.254.0.0/16", "6to4"],
    ["2002:c0a8:101::1", "192.168.0.0/16", "6to4"],
    // Teredo: 2001:0:<server>:<flags>:<port>:<client XOR ffffffff>. 80ff:fffe is 127.0.0.1; 5ef5:79fd is 161.10.134.2.
    ["2001:0:4136:e378:8000:63bf:80ff:fffe", "127.0.0.0/8", "Teredo"],
    ["2001:0:4136:e378:8000:63bf:5601:5601", "169.254.0.0/16", "Teredo"],
    ["2001:0:a00:1:8000:63bf:5ef5:79fd", "10.0.0.0/8", "Teredo"],
  ])("judge %s by the IPv4 address it carries (%s)", (address, cidr, via) => {
    const range = reservedRange(parseIp(address)!);
    expect(range).toMatchObject({ cidr });
    expect(range?.via?.form).toBe(via);
  });

  it("leave public addresses alone, in every family and embedding", () => {
    for (const address of [
      "93.184.215.14",
      "8.8.8.8",
      "172.32.0.1",
      "100.128.0.1",
      "192.0.1.1",
      "198.20.0.1",
      "223.255.255.255",
      "2606:4700::1111",
      "2a00:1450:4001::200e",
      "::ffff:8.8.8.8",
      "::ffff:808:808",
      "64:ff9b::8.8.8.8",
      "2002:808:808::1",
      "2001:0:4136:e378:8000:63bf:a2f5:79fd",
    ]) {
      expect(reservedRange(parseIp(address)!), address).toBeNull();
    }
  });
});
