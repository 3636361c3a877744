// Xero's ids are GUIDs; the sandbox's records have numbers. A record's GUID is its object's fixed
// prefix (derived from the object's name, so it looks like a v4 GUID) and its dataset id in the last
// 12 hex digits: deterministic, reversible, and in id order within an object, so "order=InvoiceID"
// pages by arithmetic and ground truth rows map to what the API serves.
import { hash32 } from "@/lib/sandbox/random";

const hex = (n: number, width: number) => (n >>> 0).toString(16).padStart(8, "0").slice(-width);

/** "xxxxxxxx-xxxx-4xxx-8xxx" for an object name. */
function prefixOf(object: string): string {
  const a = hash32("xero-guid", object);
  const b = hash32("xero-guid", object, 1);
  return `${hex(a, 8)}-${hex(b, 4)}-4${hex(b >>> 16, 3)}-8${hex(a ^ b, 3)}`;
}

const prefixes = new Map<string, string>();
const objectsByPrefix = new Map<string, string>();

function prefix(object: string): string {
  let value = prefixes.get(object);
  if (!value) {
    value = prefixOf(object);
    prefixes.set(object, value);
    objectsByPrefix.set(value, object);
  }
  return value;
}

export function xeroGuid(object: string, id: number): string {
  return `${prefix(object)}-${id.toString(16).padStart(12, "0")}`;
}

/** The object and id a GUID was made from, or null for any other text (checked against `objects`). */
export function parseXeroGuid(guid: string, objects: readonly string[]): { object: string; id: number } | null {
  const text = guid.trim().toLowerCase();
  if (text.length !== 36) return null;
  for (const object of objects) {
    const p = prefix(object);
    if (!text.startsWith(p + "-")) continue;
    const tail = text.slice(p.length + 1);
    let id = 0;
    for (const ch of tail) {
      const digit = "0123456789abcdef".indexOf(ch);
      if (digit < 0) return null;
      id = id * 16 + digit;
    }
    return id > 0 ? { object, id } : null;
  }
  return null;
}

/** Objects in the order of their GUID prefixes: the order of a listing by its id field. */
export function inGuidOrder(objects: readonly string[]): string[] {
  return [...objects].sort((a, b) => (prefix(a) < prefix(b) ? -1 : prefix(a) > prefix(b) ? 1 : 0));
}

/** A line item's GUID: its document's id and position, under the line item prefix. */
export function lineItemGuid(object: string, id: number, line: number): string {
  return xeroGuid(`${object}LineItem`, id * 64 + line);
}

/** A tenant id for a seed: lower-case, v4-shaped. */
export function tenantGuid(seed: number): string {
  const a = hash32("xero-tenant", seed);
  const b = hash32("xero-tenant", seed, 1);
  const c = hash32("xero-tenant", seed, 2);
  return `${hex(a, 8)}-${hex(b, 4)}-4${hex(b >>> 16, 3)}-8${hex(c, 3)}-${hex(c >>> 12, 4)}${hex(a ^ c, 8)}`;
}
