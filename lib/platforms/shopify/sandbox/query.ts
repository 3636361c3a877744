// Query parameters of the list and count endpoints, parsed the way Shopify reads them, and the opaque
// page_info cursor. Errors name the parameter in Shopify's body shape: {"errors":{"limit":"Invalid value."}}
// (the message Shopify gives for a page_info it cannot use; we use it for every bad value).
import { z } from "zod";
import type { ShopifyResource } from "./render";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 250;

export interface ListFilters {
  sinceId?: number;
  ids?: number[];
  createdMin?: number;
  createdMax?: number;
  updatedMin?: number;
  updatedMax?: number;
  /** products: active | archived | draft (a comma-separated list); orders: open | closed | cancelled | any. */
  status?: string[];
  financialStatus?: string;
  fulfillmentStatus?: string;
}

export type Direction = "next" | "prev";

export interface ListQuery {
  filters: ListFilters;
  limit: number;
  fields?: string[];
  /** Present when the request carried page_info: where the page starts and which way it goes. */
  page?: { cursor: number; direction: Direction };
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; field: string };

type FilterParam =
  "ids" | "since_id" | "created_at_min" | "created_at_max" | "updated_at_min" | "updated_at_max" | "status" | "financial_status" | "fulfillment_status";

const TIME_FILTERS = ["created_at_min", "created_at_max", "updated_at_min", "updated_at_max"] as const;

/**
 * The filters each endpoint documents in 2024-10. Shopify ignores parameters an endpoint does not know
 * (custom_collections has no created_at filters), and so do we.
 */
const SUPPORTED: Record<ShopifyResource, readonly FilterParam[]> = {
  products: ["ids", "since_id", ...TIME_FILTERS, "status"],
  custom_collections: ["ids", "since_id", "updated_at_min", "updated_at_max"],
  customers: ["ids", "since_id", ...TIME_FILTERS],
  orders: ["ids", "since_id", ...TIME_FILTERS, "status", "financial_status", "fulfillment_status"],
};

const STATUS_VALUES: Partial<Record<ShopifyResource, readonly string[]>> = {
  products: ["active", "archived", "draft"],
  orders: ["open", "closed", "cancelled", "any"],
};
const FINANCIAL_STATUSES = ["authorized", "pending", "paid", "partially_paid", "refunded", "voided", "partially_refunded", "any", "unpaid"];
const FULFILLMENT_STATUSES = ["shipped", "partial", "unshipped", "any", "unfulfilled"];

/** With page_info, Shopify accepts only these beside it; anything else is a 400 on page_info. */
const PAGE_INFO_COMPANIONS = new Set(["page_info", "limit", "fields"]);

export function parseListQuery(resource: ShopifyResource, query: URLSearchParams): Parsed<ListQuery> {
  const limit = parseLimit(query.get("limit"));
  if (limit === null) return fail("limit");
  const fields = parseFields(query.get("fields"));
  if (fields === null) return fail("fields");
  const pageInfo = query.get("page_info");
  if (pageInfo !== null) {
    for (const key of query.keys()) if (!PAGE_INFO_COMPANIONS.has(key)) return fail("page_info");
    const token = decodePageInfo(pageInfo);
    if (!token || token.o !== resource) return fail("page_info");
    return ok({ filters: token.f, limit, fields, page: { cursor: token.c, direction: token.d } });
  }
  const filters = parseFilters(resource, query);
  if (!filters.ok) return filters;
  return ok({ filters: filters.value, limit, fields });
}

/** count.json takes the list filters except paging (since_id, ids and limit are ignored, as Shopify does). */
export function parseCountQuery(resource: ShopifyResource, query: URLSearchParams): Parsed<ListFilters> {
  const filters = parseFilters(resource, query);
  if (!filters.ok) return filters;
  const { sinceId: _sinceId, ids: _ids, ...rest } = filters.value;
  return ok(rest);
}

export function parseFieldsParam(query: URLSearchParams): Parsed<string[] | undefined> {
  const fields = parseFields(query.get("fields"));
  return fields === null ? fail("fields") : ok(fields);
}

function parseFilters(resource: ShopifyResource, query: URLSearchParams): Parsed<ListFilters> {
  const supported = SUPPORTED[resource];
  const filters: ListFilters = {};
  const param = (name: FilterParam) => (supported.includes(name) ? query.get(name) : null);

  const ids = param("ids");
  if (ids !== null) {
    const parts = ids
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part !== "");
    if (parts.length === 0 || !parts.every((part) => /^\d{1,16}$/.test(part))) return fail("ids");
    filters.ids = [...new Set(parts.map(Number))].sort((a, b) => a - b);
  }
  const sinceId = param("since_id");
  if (sinceId !== null) {
    if (!/^\d{1,16}$/.test(sinceId.trim())) return fail("since_id");
    filters.sinceId = Number(sinceId.trim());
  }
  const bounds: [FilterParam, "createdMin" | "createdMax" | "updatedMin" | "updatedMax", boolean][] = [
    ["created_at_min", "createdMin", false],
    ["created_at_max", "createdMax", true],
    ["updated_at_min", "updatedMin", false],
    ["updated_at_max", "updatedMax", true],
  ];
  for (const [name, key, isMax] of bounds) {
    const raw = param(name);
    if (raw === null) continue;
    const time = parseShopifyTime(raw);
    if (!time) return fail(name);
    // Shopify keeps seconds; a whole-second upper bound covers the whole second, so a record shown as
    // updated at 12:00:00 is found by updated_at_max=12:00:00 even if its stored time is 12:00:00.400.
    filters[key] = isMax && time.wholeSecond ? time.ms + 999 : time.ms;
  }

  const statuses = STATUS_VALUES[resource];
  const status = param("status");
  if (statuses && status !== null) {
    const values = status.split(",").map((part) => part.trim());
    if (!values.every((value) => statuses.includes(value))) return fail("status");
    filters.status = values;
  }
  // Orders list open ones unless asked otherwise (Shopify's documented default for orders.json and
  // orders/count.json); a sync that wants every order passes status=any.
  if (resource === "orders" && !filters.status) filters.status = ["open"];

  const financial = param("financial_status");
  if (financial !== null) {
    if (!FINANCIAL_STATUSES.includes(financial)) return fail("financial_status");
    filters.financialStatus = financial;
  }
  const fulfillment = param("fulfillment_status");
  if (fulfillment !== null) {
    if (!FULFILLMENT_STATUSES.includes(fulfillment)) return fail("fulfillment_status");
    filters.fulfillmentStatus = fulfillment;
  }
  return ok(filters);
}

function parseLimit(raw: string | null): number | null {
  if (raw === null) return DEFAULT_LIMIT;
  if (!/^\d{1,6}$/.test(raw.trim())) return null;
  const limit = Number(raw.trim());
  return limit >= 1 && limit <= MAX_LIMIT ? limit : null;
}

function parseFields(raw: string | null): string[] | undefined | null {
  if (raw === null) return undefined;
  const fields = raw
    .split(",")
    .map((field) => field.trim())
    .filter((field) => field !== "");
  return fields.every((field) => /^[a-z0-9_]+$/.test(field)) && fields.length > 0 ? fields : null;
}

// ISO 8601 as Shopify accepts it: a date, or date and time with an optional offset (no offset = the
// shop's zone, UTC here). A "+" that reached us unencoded arrives as a space; we read it as "+".
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?(Z|[+\- ]\d{2}(?::?\d{2})?)?$/i;

export function parseShopifyTime(raw: string): { ms: number; wholeSecond: boolean } | null {
  const match = ISO_TIME.exec(raw.trim());
  if (!match) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  const millis = fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0;
  const utc = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s), millis);
  if (new Date(utc).getUTCDate() !== day) return null; // 2024-02-30
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const hours = Number(digits.slice(0, 2));
    const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (hours > 14 || minutes > 59) return null;
    offsetMinutes = sign * (hours * 60 + minutes);
  }
  return { ms: utc - offsetMinutes * 60_000, wholeSecond: !fraction };
}

// page_info: base64url of JSON, like Shopify's own (which decodes to {"last_id":…,"direction":"next",…}).
// It carries the resource, the filters of the first request, the id the page continues from and the
// direction, so every page is computed from the token alone and no state is kept between requests.
const filtersSchema = z
  .object({
    sinceId: z.number().int().optional(),
    ids: z.array(z.number().int()).optional(),
    createdMin: z.number().optional(),
    createdMax: z.number().optional(),
    updatedMin: z.number().optional(),
    updatedMax: z.number().optional(),
    status: z.array(z.string()).optional(),
    financialStatus: z.string().optional(),
    fulfillmentStatus: z.string().optional(),
  })
  .strict();

const tokenSchema = z
  .object({
    o: z.enum(["products", "custom_collections", "customers", "orders"]),
    f: filtersSchema,
    c: z.number().int(),
    d: z.enum(["next", "prev"]),
  })
  .strict();

export type PageToken = z.infer<typeof tokenSchema>;

export function encodePageInfo(token: PageToken): string {
  return Buffer.from(JSON.stringify(token)).toString("base64url");
}

export function decodePageInfo(raw: string): PageToken | null {
  if (!/^[A-Za-z0-9_-]+$/.test(raw)) return null;
  const text = Buffer.from(raw, "base64url").toString("utf8");
  // Base64 decoding ignores stray trailing characters; a token must be exactly one we could have issued.
  if (Buffer.from(text).toString("base64url") !== raw) return null;
  try {
    const parsed = tokenSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

function fail<T>(field: string): Parsed<T> {
  return { ok: false, field };
}
