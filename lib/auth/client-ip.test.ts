// The client's address for sign-in throttling: the socket's address as the launcher's preload stamps
// it (a client's own X-Forwarded-For is ignored), or, behind TRIBUTARY_PROXY_HOPS proxies, the entry
// the outermost of them appended; IPv6 by /64.
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/config";
import { addressKey, clientAddress, parseProxyHops } from "./client-ip";

const HEADER_NAME = Symbol.for("tributary.peerAddressHeader");
const global = globalThis as { [HEADER_NAME]?: unknown };
const PEER = "x-tributary-peer-address";

describe("the client's address", () => {
  afterEach(() => {
    delete global[HEADER_NAME];
  });

  it("is the socket's address when the preload stamps it, whatever X-Forwarded-For a client sends", () => {
    global[HEADER_NAME] = PEER;
    expect(clientAddress(new Headers({ [PEER]: "203.0.113.7", "x-forwarded-for": "127.0.0.1" }), {})).toBe("203.0.113.7");
    expect(clientAddress({ [PEER]: "::ffff:198.51.100.2", "x-forwarded-for": "10.0.0.1" }, {})).toBe("198.51.100.2");
  });

  it("behind TRIBUTARY_PROXY_HOPS proxies, is the entry the outermost proxy appended; entries further left are the client's own", () => {
    global[HEADER_NAME] = PEER;
    // nginx's $proxy_add_x_forwarded_for appends the address it saw to what the client sent.
    const headers = new Headers({ [PEER]: "10.0.0.2", "x-forwarded-for": "6.6.6.6, 203.0.113.7" });
    expect(clientAddress(headers, { TRIBUTARY_PROXY_HOPS: "1" })).toBe("203.0.113.7");
    expect(clientAddress(new Headers({ [PEER]: "10.0.0.3", "x-forwarded-for": "6.6.6.6, 203.0.113.7, 10.0.0.2" }), { TRIBUTARY_PROXY_HOPS: "2" })).toBe(
      "203.0.113.7",
    );
    expect(clientAddress(new Headers({ [PEER]: "10.0.0.3", "x-forwarded-for": "203.0.113.7" }), { TRIBUTARY_PROXY_HOPS: "3" })).toBe("203.0.113.7");
    expect(parseProxyHops(undefined)).toBe(0);
    expect(() => parseProxyHops("-1")).toThrow(ConfigError);
    expect(() => parseProxyHops("two")).toThrow(/TRIBUTARY_PROXY_HOPS/);
  });

  it("without the preload (a bare `next dev`), falls back to the right-most X-Forwarded-For entry, which Next.js sets from the socket", () => {
    expect(clientAddress(new Headers({ [PEER]: "127.0.0.1", "x-forwarded-for": "203.0.113.7" }), {})).toBe("203.0.113.7");
    expect(clientAddress(new Headers(), {})).toBe("unknown");
  });

  it("keys IPv4-mapped IPv6 as IPv4 and IPv6 by its /64; anything else is one 'unknown' bucket", () => {
    expect(addressKey("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(addressKey("::ffff:7f00:1")).toBe("127.0.0.1");
    expect(addressKey("::1")).toBe("::/64");
    expect(addressKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:2::99")).toBe(addressKey("2001:DB8:1:2:ffff::1"));
    expect(addressKey("[2001:db8::1]:443")).toBe("2001:db8::/64");
    expect(addressKey("198.51.100.9:5123")).toBe("198.51.100.9");
    expect(addressKey("fe80::1%eth0")).toBe("fe80::/64");
    expect(addressKey("not an address")).toBe("unknown");
    expect(addressKey("1.2.3.4 injected=1")).toBe("unknown");
  });
});
