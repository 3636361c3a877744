// The address of the socket a request to the app came from. Next 16 gives route handlers no socket,
// and its x-forwarded-for keeps whatever the client sent; scripts/next-preload.mjs, which the launcher
// loads into the Next.js server, stamps every request with its socket's address in a header of its own
// (overwriting any the client sent) and names that header in a global, which nothing outside the
// process can set.
import { BlockList } from "node:net";

const HEADER_NAME = Symbol.for("tributary.peerAddressHeader");

/** Request headers as a route handler (Headers) or next-auth's authorize() (a plain object) sees them. */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

export function headerValue(source: HeaderSource, name: string): string | null {
  if (source instanceof Headers) return source.get(name);
  const value = source[name.toLowerCase()];
  return Array.isArray(value) ? value.join(",") : (value ?? null);
}

/** The socket address the request came from; null when the server was started without the preload. */
export function peerAddress(request: Request | HeaderSource): string | null {
  const header = (globalThis as { [HEADER_NAME]?: unknown })[HEADER_NAME];
  if (typeof header !== "string") return null;
  return headerValue(request instanceof Request ? request.headers : request, header) || null;
}

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** 127.0.0.0/8 and ::1, in any of the forms a socket reports them (::ffff:127.0.0.1 included). */
export function isLoopbackAddress(address: string): boolean {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(address)) return loopback.check(address, "ipv4");
  try {
    return loopback.check(address, "ipv6");
  } catch {
    return false;
  }
}
