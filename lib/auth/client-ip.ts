// The client's address, for throttling sign-in per address.
//
// How it reaches a route here: an App Router route, server action or next-auth's authorize() sees only
// request headers, never the socket, and Next.js 16 sets X-Forwarded-For to the socket's address only
// when the request carries none (`??=` in next/dist/server/base-server.js): a header the client sent is
// passed on untouched, so on its own it proves nothing. So:
// - by default (TRIBUTARY_PROXY_HOPS=0, reached directly) the client is the socket's address, which the
//   launcher's preload stamps on every request (lib/http/peer-address.ts) and no client can forge;
// - behind N reverse proxies that append the address they saw (nginx `$proxy_add_x_forwarded_for`,
//   Caddy, Traefik, a load balancer), set TRIBUTARY_PROXY_HOPS=N: the client is the N-th X-Forwarded-For
//   entry from the right, the one the outermost of our proxies wrote; anything further left is the
//   client's own text.
// - a server started without the preload (a bare `next dev`) falls back to the right-most entry, which a
//   client reaching it directly can forge; per-account throttling does not depend on any of this.
//
// IPv6 clients are keyed by their /64, the block one subscriber gets: counting single addresses would
// let a client rotate through its 2^64.
import { ConfigError } from "@/lib/config";
import { formatIp, parseIp, unmapped } from "@/lib/http/addresses";
import { headerValue, peerAddress, type HeaderSource } from "@/lib/http/peer-address";

export function parseProxyHops(value: string | undefined): number {
  const raw = value?.trim();
  if (!raw) return 0;
  const hops = Number(raw);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10)
    throw new ConfigError(`TRIBUTARY_PROXY_HOPS must be a whole number from 0 to 10 (reverse proxies in front of Tributary), got "${value}"`);
  return hops;
}

/** The throttling key of the request's client: an IPv4 address, an IPv6 /64 (`2001:db8:1:2::/64`), or "unknown". */
export function clientAddress(headers: HeaderSource, env: Record<string, string | undefined> = process.env): string {
  const hops = parseProxyHops(env.TRIBUTARY_PROXY_HOPS);
  const socket = peerAddress(headers);
  if (hops === 0 && socket !== null) return addressKey(socket);
  const entries = (headerValue(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const entry = entries[Math.max(0, entries.length - Math.max(hops, 1))];
  return entry ? addressKey(entry) : "unknown";
}

/** An address as a key: IPv4-mapped IPv6 as IPv4, IPv6 as its /64; anything else (a forged header) is "unknown". */
export function addressKey(raw: string): string {
  const text = raw.replace(/^\[(.*)\](?::\d+)?$/, "$1");
  const parsed = /^[0-9.]+:\d+$/.test(text) ? parseIp(text.slice(0, text.lastIndexOf(":"))) : parseIp(text);
  if (!parsed) return "unknown";
  const bytes = unmapped(parsed);
  if (bytes.length === 4) return formatIp(bytes);
  const network = new Uint8Array(16);
  network.set(bytes.subarray(0, 8));
  return `${formatIp(network)}/64`;
}
