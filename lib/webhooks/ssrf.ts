// The SSRF guard for webhook deliveries (DESIGN.md section 11). In production, a destination whose
// address is private, loopback, link-local (cloud metadata at 169.254.169.254 included), shared,
// multicast or otherwise not public is refused — checked on the addresses the name resolves to, at
// connect time (the agent's own DNS lookup), so a name that resolves differently between a check and
// the connection cannot slip through. TRIBUTARY_WEBHOOK_ALLOWED_HOSTS lists hosts or addresses that
// may be private (an internal receiver). In development everything is allowed.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP } from "node:net";
import { Agent, fetch as undiciFetch } from "undici";

export class BlockedDestinationError extends Error {
  constructor(readonly host: string, readonly address: string) {
    super(`Refused: ${host} resolves to ${address}, a private or reserved address (allow it with TRIBUTARY_WEBHOOK_ALLOWED_HOSTS)`);
    this.name = "BlockedDestinationError";
  }
}

const V4_BLOCKED: [string, number][] = [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24], ["203.0.113.0", 24],
  ["224.0.0.0", 4], ["240.0.0.0", 4],
];

function v4ToInt(address: string): number {
  return address.split(".").reduce((n, part) => (n << 8) + Number(part), 0) >>> 0;
}

/** Is this address anything but a public unicast one? */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) {
    const n = v4ToInt(address);
    return V4_BLOCKED.some(([base, bits]) => (n >>> (32 - bits)) === (v4ToInt(base) >>> (32 - bits)));
  }
  if (family === 6) {
    const a = address.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
    if (mapped) return isBlockedAddress(mapped[1]);
    if (a === "::" || a === "::1") return true;
    const first = parseInt(a.split(":")[0] || "0", 16);
    // fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast, 2001:db8::/32 documentation.
    return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00 || a.startsWith("2001:db8:");
  }
  return true;
}

export interface GuardOptions {
  /** Refuse private destinations (production). */
  enforce: boolean;
  /** Hosts or addresses allowed even when private. */
  allowed: string[];
}

export function guardOptionsFromEnv(env: Record<string, string | undefined> = process.env): GuardOptions {
  return {
    enforce: env.NODE_ENV === "production",
    allowed: (env.TRIBUTARY_WEBHOOK_ALLOWED_HOSTS ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean),
  };
}

/** A fetch for webhook deliveries: keep-alive connections, and the guard applied at connect time. */
export function guardedFetch(options: GuardOptions): typeof fetch {
  const agent = new Agent({
    keepAliveTimeout: 30_000,
    connect: {
      lookup(hostname, lookupOptions, callback) {
        dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
          if (error) return callback(error, "", 0);
          const list = addresses as unknown as LookupAddress[];
          const blocked = options.enforce && !options.allowed.includes(hostname.toLowerCase()) ? list.find((a) => isBlockedAddress(a.address) && !options.allowed.includes(a.address)) : undefined;
          if (blocked) return callback(new BlockedDestinationError(hostname, blocked.address), "", 0);
          const [first] = list;
          if ((lookupOptions as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
          callback(null, first.address, first.family);
        });
      },
    },
  });
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    // An address literal is never looked up: check it here.
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (options.enforce && isIP(host) && isBlockedAddress(host) && !options.allowed.includes(host)) throw new BlockedDestinationError(host, host);
    return undiciFetch(url, { ...(init as object), dispatcher: agent }) as unknown as Response;
  }) as typeof fetch;
}
