// The client's address, for throttling sign-in per address.
//
// How it reaches a route here: an App Router route, server action or next-auth's authorize() sees only
// request headers, never the socket. Next.js 16's server sets X-Forwarded-For to the socket's address
// only when the request carries none (`req.headers['x-forwarded-for'] ??= socket.remoteAddress` in
// next/dist/server/base-server.js); a header the client sent is passed on untouched. So:
// - behind a reverse proxy that appends the address it saw (nginx `$proxy_add_x_forwarded_for`, Caddy,
//   Traefik) or sets it (nginx `$remote_addr`), the right-most entry is that address: the client's.
// - reached directly, the right-most entry is the socket's address unless the client sent the header:
//   then it is what the client wrote. Per-address throttling can then be dodged by a client that
//   forges the header on every attempt; per-account throttling does not depend on it. Put Tributary
//   behind a proxy that sets the header in production.
// TRIBUTARY_PROXY_HOPS (default 1) is how many proxies that append stand in front of Tributary (a CDN
// and a load balancer: 2); the client is that many entries from the right. 1 covers one proxy or none.
//
// IPv6 clients are keyed by their /64, the block one subscriber gets: counting single addresses would
// let a client rotate through its 2^64.
import { isIP } from "node:net";
import { ConfigError } from "@/lib/config";

export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(source: HeaderSource, name: string): string | null {
  if (source instanceof Headers) return source.get(name);
  const value = source[name] ?? source[name.toLowerCase()];
  return Array.isArray(value) ? value.join(",") : (value ?? null);
}

export function parseProxyHops(value: string | undefined): number {
  const raw = value?.trim();
  if (!raw) return 1;
  const hops = Number(raw);
  if (!Number.isInteger(hops) || hops < 1 || hops > 10) throw new ConfigError(`TRIBUTARY_PROXY_HOPS must be a whole number from 1 to 10 (reverse proxies in front of Tributary), got "${value}"`);
  return hops;
}

/** The throttling key of the request's client: an IPv4 address, an IPv6 /64 (`2001:db8:1:2::/64`), or "unknown". */
export function clientAddress(headers: HeaderSource, env: Record<string, string | undefined> = process.env): string {
  const entries = (header(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const hops = parseProxyHops(env.TRIBUTARY_PROXY_HOPS);
  const entry = entries[Math.max(0, entries.length - hops)];
  return entry ? addressKey(entry) : "unknown";
}

/** An address as a key: IPv4-mapped IPv6 as IPv4, IPv6 as its /64; anything else (a forged header) is "unknown". */
export function addressKey(raw: string): string {
  const address = raw.replace(/^\[(.*)\](?::\d+)?$/, "$1").replace(/%.*$/, "");
  const family = isIP(address);
  if (family === 4) return address;
  if (family !== 6) return "unknown";
  const groups = expandIpv6(address);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) return `${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`;
  return `${groups.slice(0, 4).map((group) => group.toString(16)).join(":")}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (with an IPv4 tail converted). */
function expandIpv6(address: string): number[] {
  let text = address.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = tail === undefined ? [] : tail ? tail.split(":") : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill("0"), ...right].map((group) => parseInt(group, 16));
}
