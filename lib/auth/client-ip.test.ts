// The client's address from X-Forwarded-For as Next.js hands it on: the right-most entry (the socket's
// address, or what the nearest proxy appended), further left with TRIBUTARY_PROXY_HOPS; IPv6 by /64.
import { describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/config";
import { addressKey, clientAddress, parseProxyHops } from "./client-ip";

describe("the client's address", () => {
  it("is the right-most X-Forwarded-For entry: what the nearest proxy saw, or Next.js's socket address", () => {
    expect(clientAddress(new Headers({ "x-forwarded-for": "203.0.113.7" }), {})).toBe("203.0.113.7");
    // A client's own header comes first; nginx's $proxy_add_x_forwarded_for appends the real address.
    expect(clientAddress(new Headers({ "x-forwarded-for": "10.9.9.9, 1.2.3.4, 203.0.113.7" }), {})).toBe("203.0.113.7");
    expect(clientAddress({ "x-forwarded-for": "198.51.100.2" }, {})).toBe("198.51.100.2");
  });

  it("counts TRIBUTARY_PROXY_HOPS proxies from the right", () => {
    const headers = new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.7, 10.0.0.2" });
    expect(clientAddress(headers, { TRIBUTARY_PROXY_HOPS: "2" })).toBe("203.0.113.7");
    expect(clientAddress(new Headers({ "x-forwarded-for": "203.0.113.7" }), { TRIBUTARY_PROXY_HOPS: "3" })).toBe("203.0.113.7");
    expect(parseProxyHops(undefined)).toBe(1);
    expect(() => parseProxyHops("0")).toThrow(ConfigError);
    expect(() => parseProxyHops("two")).toThrow(/TRIBUTARY_PROXY_HOPS/);
  });

  it("keys IPv4-mapped IPv6 as IPv4 and IPv6 by its /64; anything else is one 'unknown' bucket", () => {
    expect(addressKey("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:2::99")).toBe(addressKey("2001:DB8:1:2:ffff::1"));
    expect(addressKey("[2001:db8::1]:443")).toBe("2001:db8:0:0::/64");
    expect(addressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(addressKey("not an address")).toBe("unknown");
    expect(addressKey("1.2.3.4 injected=1")).toBe("unknown");
    expect(clientAddress(new Headers(), {})).toBe("unknown");
  });
});
