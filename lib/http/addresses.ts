// IP addresses as bytes, for the SSRF guard (lib/webhooks/ssrf.ts) and sign-in throttling
// (lib/auth/client-ip.ts): every spelling of an address — a URL's `[::ffff:7f00:1]`, a resolver's
// `::ffff:127.0.0.1`, an operator's `127.1` — becomes the same 4 or 16 bytes, and what may be reached
// is decided on those bytes by range, never by comparing text.
//
// The ranges are IANA's IPv4 and IPv6 special-purpose address registries (RFC 6890 and its updates),
// plus multicast, the deprecated site-local fec0::/10, and, for IPv6, everything outside global
// unicast 2000::/3. Entries the registries mark globally reachable but that are anycast services
// (AS112, AMT, the 6to4 relay) are refused too: no webhook receiver lives there. An IPv6 address that
// carries an IPv4 address (mapped, compatible, translated, NAT64, 6to4, Teredo) is judged by the IPv4
// address it leads to.

export type IpBytes = Uint8Array;

export interface ReservedRange {
  /** The range in CIDR notation, e.g. "127.0.0.0/8". */
  cidr: string;
  /** What the range is, e.g. "loopback". */
  name: string;
  /** The IPv4 address an IPv6 address carries, when that is what was refused. */
  via?: { ipv4: string; form: string; cidr: string };
}

const DECIMAL = /^[0-9]+$/;
const OCTAL = /^[0-7]+$/;
const HEX = /^[0-9a-f]*$/;

/** One part of an IPv4 address as the URL standard reads it: 0x hex, leading-zero octal or decimal. */
function ipv4Number(part: string): number | null {
  const lower = part.toLowerCase();
  if (lower.startsWith("0x")) return HEX.test(lower.slice(2)) ? (lower.length === 2 ? 0 : parseInt(lower.slice(2), 16)) : null;
  if (lower.length > 1 && lower.startsWith("0")) return OCTAL.test(lower.slice(1)) ? parseInt(lower.slice(1), 8) : null;
  return DECIMAL.test(lower) ? Number(lower) : null;
}

/**
 * An IPv4 address in any form the URL standard's host parser accepts (127.0.0.1, 127.1, 0x7f.1,
 * 017700000001, 2130706433, a trailing dot), or null.
 */
export function parseIpv4(text: string): IpBytes | null {
  const parts = text.split(".");
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  if (parts.length === 0 || parts.length > 4 || parts.some((part) => part === "")) return null;
  const numbers = parts.map(ipv4Number);
  if (numbers.some((n) => n === null || !Number.isSafeInteger(n))) return null;
  const values = numbers as number[];
  const last = values.pop()!;
  if (values.some((n) => n > 255) || last >= 256 ** (4 - values.length)) return null;
  const bytes = new Uint8Array(4);
  values.forEach((n, i) => (bytes[i] = n));
  for (let i = 3, rest = last; i >= values.length; i--, rest = Math.floor(rest / 256)) bytes[i] = rest % 256;
  return bytes;
}

/** An IPv6 address (any compression, an IPv4 tail, optional brackets and zone id), or null. */
export function parseIpv6(text: string): IpBytes | null {
  const address = text
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/%.*$/, "")
    .toLowerCase();
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const groups = halves.map((half) => (half === "" ? [] : half.split(":")));
  const tail = groups[groups.length - 1];
  const lastGroup = tail[tail.length - 1];
  if (lastGroup?.includes(".")) {
    // Dotted decimal only (no octal or hex here, as RFC 4291 writes it).
    const parts = lastGroup.split(".");
    if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255)) return null;
    const [a, b, c, d] = parts.map(Number);
    tail.splice(tail.length - 1, 1, ((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
  }
  const words = groups.flat();
  if (words.some((w) => !/^[0-9a-f]{1,4}$/.test(w))) return null;
  if (halves.length === 1 ? words.length !== 8 : words.length > 7) return null;
  const [head, rest = []] = groups;
  const all = [...head, ...Array<string>(8 - words.length).fill("0"), ...(halves.length === 2 ? rest : [])];
  const bytes = new Uint8Array(16);
  all.forEach((word, i) => {
    const n = parseInt(word, 16);
    bytes[2 * i] = n >> 8;
    bytes[2 * i + 1] = n & 0xff;
  });
  return bytes;
}

/** An address literal of either family, or null when the text is a name. */
export function parseIp(text: string): IpBytes | null {
  return text.includes(":") ? parseIpv6(text) : parseIpv4(text);
}

/** The address written the usual way: dotted quad, or RFC 5952 (longest zero run compressed). */
export function formatIp(bytes: IpBytes): string {
  if (bytes.length === 4) return bytes.join(".");
  const words = Array.from({ length: 8 }, (_, i) => (bytes[2 * i] << 8) | bytes[2 * i + 1]);
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(":");
  if (best.start < 0) return hex(words);
  return `${hex(words.slice(0, best.start))}::${hex(words.slice(best.start + best.length))}`;
}

/**
 * A key equal for equal addresses, whatever their spelling; an IPv4-mapped IPv6 address is the IPv4
 * address it maps (a dual-stack socket connects to that very host).
 */
export function addressKey(bytes: IpBytes): string {
  return Buffer.from(unmapped(bytes)).toString("hex");
}

/** The IPv4 address an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, a dual-stack socket's peer) maps; any other address as it is. */
export function unmapped(bytes: IpBytes): IpBytes {
  return bytes.length === 16 && inPrefix(bytes, MAPPED) ? bytes.subarray(12) : bytes;
}

interface Prefix {
  bytes: IpBytes;
  bits: number;
  cidr: string;
  name: string;
}

function prefix(cidr: string, name: string): Prefix {
  const [address, bits] = cidr.split("/");
  const bytes = parseIp(address);
  if (!bytes) throw new Error(`bad range ${cidr}`);
  return { bytes, bits: Number(bits), cidr, name };
}

function inPrefix(bytes: IpBytes, range: Prefix): boolean {
  if (bytes.length !== range.bytes.length) return false;
  const whole = range.bits >> 3;
  for (let i = 0; i < whole; i++) if (bytes[i] !== range.bytes[i]) return false;
  const rest = range.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (bytes[whole] & mask) === (range.bytes[whole] & mask);
}

const V4_RESERVED: Prefix[] = [
  prefix("0.0.0.0/8", "this network"),
  prefix("10.0.0.0/8", "private"),
  prefix("100.64.0.0/10", "shared address space, carrier-grade NAT"),
  prefix("127.0.0.0/8", "loopback"),
  prefix("169.254.0.0/16", "link-local; cloud metadata services answer here"),
  prefix("172.16.0.0/12", "private"),
  prefix("192.0.0.0/24", "IETF protocol assignments"),
  prefix("192.0.2.0/24", "documentation, TEST-NET-1"),
  prefix("192.31.196.0/24", "AS112 anycast"),
  prefix("192.52.193.0/24", "AMT anycast"),
  prefix("192.88.99.0/24", "6to4 relay anycast"),
  prefix("192.168.0.0/16", "private"),
  prefix("192.175.48.0/24", "AS112 anycast"),
  prefix("198.18.0.0/15", "benchmarking"),
  prefix("198.51.100.0/24", "documentation, TEST-NET-2"),
  prefix("203.0.113.0/24", "documentation, TEST-NET-3"),
  prefix("224.0.0.0/4", "multicast"),
  prefix("240.0.0.0/4", "reserved, and broadcast"),
];

const V6_RESERVED: Prefix[] = [
  prefix("::/128", "unspecified"),
  prefix("::1/128", "loopback"),
  prefix("64:ff9b:1::/48", "NAT64 local use"),
  prefix("100::/64", "discard-only"),
  prefix("100:0:0:1::/64", "dummy prefix"),
  prefix("2001:db8::/32", "documentation"),
  prefix("2620:4f:8000::/48", "AS112 anycast"),
  prefix("3fff::/20", "documentation"),
  prefix("5f00::/16", "segment routing (SRv6) SIDs"),
  prefix("fc00::/7", "unique local, private"),
  prefix("fe80::/10", "link-local"),
  prefix("fec0::/10", "site-local, deprecated"),
  prefix("ff00::/8", "multicast"),
];

const MAPPED = prefix("::ffff:0:0/96", "IPv4-mapped");
const TEREDO = prefix("2001::/32", "Teredo");
/** The rest of IETF protocol assignments, after Teredo (2001::/32) is judged by what it embeds. */
const IETF_ASSIGNMENTS = prefix("2001::/23", "IETF protocol assignments");
const GLOBAL_UNICAST = prefix("2000::/3", "global unicast");

/** IPv6 ranges that carry an IPv4 address, and where the IPv4 address sits in them. */
const EMBEDDING: { range: Prefix; v4: (bytes: IpBytes) => IpBytes[] }[] = [
  { range: MAPPED, v4: (b) => [b.slice(12)] },
  { range: prefix("::ffff:0:0:0/96", "IPv4-translated"), v4: (b) => [b.slice(12)] },
  { range: prefix("::/96", "IPv4-compatible"), v4: (b) => [b.slice(12)] },
  { range: prefix("64:ff9b::/96", "NAT64"), v4: (b) => [b.slice(12)] },
  { range: prefix("2002::/16", "6to4"), v4: (b) => [b.slice(2, 6)] },
  // Teredo: the server's address in bits 32-63, the client's in the last 32 bits, inverted.
  { range: TEREDO, v4: (b) => [b.slice(4, 8), b.slice(12).map((x) => x ^ 0xff)] },
];

/** The reserved range an address falls in, or null when it is a public unicast address. */
export function reservedRange(bytes: IpBytes): ReservedRange | null {
  if (bytes.length === 4) {
    const range = V4_RESERVED.find((r) => inPrefix(bytes, r));
    return range ? { cidr: range.cidr, name: range.name } : null;
  }
  const exact = V6_RESERVED.find((r) => inPrefix(bytes, r));
  if (exact) return { cidr: exact.cidr, name: exact.name };
  const embedding = EMBEDDING.find((e) => inPrefix(bytes, e.range));
  if (embedding) {
    for (const v4 of embedding.v4(bytes)) {
      const range = reservedRange(v4);
      if (range) return { ...range, via: { ipv4: formatIp(v4), form: embedding.range.name, cidr: embedding.range.cidr } };
    }
    return null;
  }
  if (inPrefix(bytes, IETF_ASSIGNMENTS)) return { cidr: IETF_ASSIGNMENTS.cidr, name: IETF_ASSIGNMENTS.name };
  if (!inPrefix(bytes, GLOBAL_UNICAST)) return { cidr: GLOBAL_UNICAST.cidr, name: "outside global unicast" };
  return null;
}
