// The SSRF guard for webhook deliveries (DESIGN.md section 11). In production, a destination whose
// address is private, loopback, link-local (cloud metadata at 169.254.169.254 included), shared,
// multicast or otherwise reserved (addresses.ts lists the ranges) is refused — when the endpoint is
// saved, as far as it can be without DNS (an address literal, a localhost name), and on every delivery
// on the addresses the name resolves to, at connect time (the agent's own DNS lookup), so a name that
// resolves differently between a check and the connection cannot slip through. A name that resolves
// to several addresses is refused when any of them is reserved. Every decision is made on the
// address's bytes, so `[::ffff:7f00:1]`, `[0:0:0:0:0:ffff:127.0.0.1]` and `127.0.0.1` are one address.
// TRIBUTARY_WEBHOOK_ALLOWED_HOSTS lists hosts or addresses that may be private (an internal receiver).
// In development everything is allowed.
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from "node:dns";
import { domainToASCII } from "node:url";
import { Agent, errors, request, fetch as undiciFetch } from "undici";
import { addressKey, parseIp, reservedRange, type IpBytes } from "@/lib/http/addresses";

export class BlockedDestinationError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(
      `Refused: ${host} ${host === address ? "is" : `resolves to ${address}, which is`} ${reason}, which deliveries may not reach (allow it with TRIBUTARY_WEBHOOK_ALLOWED_HOSTS)`,
    );
    this.name = "BlockedDestinationError";
  }
}

/** Why an address may not be reached ("in 127.0.0.0/8 (loopback)"), or null when it is public. */
function reservedReason(bytes: IpBytes): string | null {
  const range = reservedRange(bytes);
  if (!range) return null;
  const via = range.via ? `the ${range.via.form} form (${range.via.cidr}) of ${range.via.ipv4}, ` : "";
  return `${via}in ${range.cidr} (${range.name})`;
}

export interface GuardOptions {
  /** Refuse private destinations (production). */
  enforce: boolean;
  /** Hosts or addresses allowed even when private, in any spelling. */
  allowed: string[];
}

export function guardOptionsFromEnv(env: Record<string, string | undefined> = process.env): GuardOptions {
  return {
    enforce: env.NODE_ENV === "production",
    allowed: (env.TRIBUTARY_WEBHOOK_ALLOWED_HOSTS ?? "")
      .split(",")
      .map((h) => h.trim())
      .filter(Boolean),
  };
}

/** A host name compared as DNS compares it: ASCII (punycode), lower case, no trailing dot. */
function canonicalName(name: string): string {
  const trimmed = name.replace(/^\[|\]$/g, "").replace(/\.$/, "");
  return (domainToASCII(trimmed) || trimmed).toLowerCase();
}

interface AllowList {
  names: Set<string>;
  addresses: Set<string>;
}

function allowList(allowed: string[]): AllowList {
  const list: AllowList = { names: new Set(), addresses: new Set() };
  for (const entry of allowed.map((a) => a.trim()).filter(Boolean)) {
    const bytes = parseIp(entry.replace(/^\[|\]$/g, ""));
    if (bytes) list.addresses.add(addressKey(bytes));
    else list.names.add(canonicalName(entry));
  }
  return list;
}

/** Why an address may not be reached, unless the allow-list names it (in any spelling). */
const addressProblem = (bytes: IpBytes, allow: AllowList) => (allow.addresses.has(addressKey(bytes)) ? null : reservedReason(bytes));

/** Why a host (a name or an address literal, without DNS) may not be a destination, or null. */
function hostProblem(host: string, allow: AllowList): string | null {
  const bytes = parseIp(host);
  if (bytes) return addressProblem(bytes, allow);
  const name = canonicalName(host);
  if (allow.names.has(name)) return null;
  return name === "localhost" || name.endsWith(".localhost") ? "a loopback name" : null;
}

/**
 * The SSRF rule applied when an endpoint is saved, as far as it can be without DNS: in production an
 * address literal in a reserved range, or a localhost name, is refused unless allow-listed. Names are
 * checked again on every delivery, after resolution.
 */
export function destinationProblem(url: string, options: GuardOptions = guardOptionsFromEnv()): string | null {
  if (!options.enforce) return null;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return null; // validateEndpoint names a malformed URL
  }
  const problem = hostProblem(host.replace(/^\[|\]$/g, ""), allowList(options.allowed));
  return problem ? `${host} is ${problem}, which deliveries may not reach (allow it with TRIBUTARY_WEBHOOK_ALLOWED_HOSTS if it is your own receiver)` : null;
}

/** Name resolution as the guard uses it: every address of a name (tests pass a fixed table). */
export type ResolveAll = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const resolveWithDns: ResolveAll = (hostname, options, callback) => dnsLookup(hostname, options, callback);

/**
 * The guard as an undici dispatcher: keep-alive connections, each name's addresses checked at connect
 * time; and the check of an address literal, which is never looked up, made on its bytes before a request.
 */
function guarded(options: GuardOptions, resolve: ResolveAll, maxResponseSize = -1): { agent: Agent; check(url: URL): void } {
  const allow = allowList(options.allowed);
  const agent = new Agent({
    keepAliveTimeout: 30_000,
    maxResponseSize,
    connect: {
      lookup(hostname, lookupOptions, callback) {
        resolve(hostname, { ...(lookupOptions as object), all: true }, (error, list) => {
          if (error) return callback(error, "", 0);
          if (options.enforce && !allow.names.has(canonicalName(hostname))) {
            for (const { address } of list) {
              const bytes = parseIp(address);
              // A resolver answer that is not an address is refused like a reserved one.
              const reason = bytes ? addressProblem(bytes, allow) : "not an IP address";
              if (reason) return callback(new BlockedDestinationError(hostname, address, reason), "", 0);
            }
          }
          const [first] = list;
          if ((lookupOptions as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
          callback(null, first.address, first.family);
        });
      },
    },
  });
  const check = (url: URL) => {
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const literal = parseIp(host);
    const reason = options.enforce && literal ? addressProblem(literal, allow) : null;
    if (reason) throw new BlockedDestinationError(host, host, reason);
  };
  return { agent, check };
}

/** A fetch through the guard (Shopify's bulk results, and anything else that wants a Response). */
export function guardedFetch(options: GuardOptions, resolve: ResolveAll = resolveWithDns): typeof fetch {
  const { agent, check } = guarded(options, resolve);
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    check(url);
    return undiciFetch(url, { ...(init as object), dispatcher: agent }) as unknown as Response;
  }) as typeof fetch;
}

/** What a guarded POST answered: the status, a header by its name, the body as text. */
export interface PostAnswer {
  status: number;
  header(name: string): string | null;
  /** The body as text, as far as it was read (guardedPost's maxAnswerBytes). */
  text(): Promise<string>;
}

export type GuardedPost = (url: string, init: { headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<PostAnswer>;

/**
 * A POST through the guard with undici's request API, for webhook deliveries: the same connections
 * and checks as guardedFetch at a fraction of fetch's cost a request (fetch clones every request
 * that does not refuse redirects, body and all). Redirects are never followed: a 3xx is an answer.
 * An answer's body is read up to `maxAnswerBytes`; past that its connection is closed and the rest
 * never read (a receiver may answer as much as it likes).
 */
export function guardedPost(options: GuardOptions & { maxAnswerBytes: number }, resolve: ResolveAll = resolveWithDns): GuardedPost {
  const { agent, check } = guarded(options, resolve, options.maxAnswerBytes);
  return async (url, init) => {
    check(new URL(url));
    const response = await request(url, { method: "POST", headers: init.headers, body: init.body, signal: init.signal, dispatcher: agent, maxRedirections: 0 });
    return {
      status: response.statusCode,
      header: (name) => {
        const value = response.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
      },
      async text() {
        const chunks: Buffer[] = [];
        try {
          for await (const chunk of response.body as AsyncIterable<Buffer>) chunks.push(chunk);
        } catch (error) {
          if (!(error instanceof errors.ResponseExceededMaxSizeError)) throw error;
        }
        return Buffer.concat(chunks).toString("utf8");
      },
    };
  };
}
