// Finding the records of a page: forward from a cursor (the next page), backward from one (the previous
// page), and counting. Time filters go to Dataset.list, which skips whole time ranges; the filters it
// does not know (status, financial and fulfillment status, ids) are applied here, page by page, so a
// page costs O(records scanned), never O(account). Deleted records are never listed: Shopify reports
// deletions by webhooks (products/delete, …), not in lists.
import type { Dataset, ListOptions, StoredRecord } from "@/lib/sandbox/dataset";
import { ID_BASE } from "./catalog";
import type { ListFilters } from "./query";
import type { ShopifyResource } from "./render";

export function matchesFilters(resource: ShopifyResource, record: StoredRecord, filters: ListFilters): boolean {
  if (record.deletedAt !== null) return false;
  if (filters.sinceId !== undefined && record.id <= filters.sinceId) return false;
  if (filters.createdMin !== undefined && record.createdAt < filters.createdMin) return false;
  if (filters.createdMax !== undefined && record.createdAt > filters.createdMax) return false;
  if (filters.updatedMin !== undefined && record.updatedAt < filters.updatedMin) return false;
  if (filters.updatedMax !== undefined && record.updatedAt > filters.updatedMax) return false;
  const data = record.data;
  if (filters.status) {
    const accepted = filters.status;
    if (resource === "orders" && !accepted.includes("any") && !accepted.some((status) => orderHasStatus(data, status))) return false;
    if (resource === "products" && !accepted.includes(String(data.status))) return false;
  }
  if (filters.financialStatus && !financialMatches(String(data.financial_status), filters.financialStatus)) return false;
  if (filters.fulfillmentStatus && !fulfillmentMatches(data.fulfillment_status ?? null, filters.fulfillmentStatus)) return false;
  return true;
}

/** Up to `want` matching records with ids after `afterId`, in id order. */
export function scanForward(dataset: Dataset, resource: ShopifyResource, filters: ListFilters, afterId: number | undefined, want: number): StoredRecord[] {
  const from = maxDefined(afterId, filters.sinceId);
  if (filters.ids) {
    const out: StoredRecord[] = [];
    for (const id of filters.ids) {
      if (out.length >= want) break;
      if (from !== undefined && id <= from) continue;
      const record = dataset.get(resource, id);
      if (record && matchesFilters(resource, record, filters)) out.push(record);
    }
    return out;
  }
  const out: StoredRecord[] = [];
  // Dataset.list applies the time filters itself; only the others make us read records we drop, so
  // only then read ahead, doubling while matches are sparse.
  let chunk = Math.min(hasRecordFilters(filters) ? Math.max(want * 2, 16) : want, 1000);
  for (let cursor = from; ;) {
    const page = dataset.list(resource, { ...timeOptions(filters), afterId: cursor, limit: chunk });
    for (const record of page) {
      cursor = record.id;
      if (matchesFilters(resource, record, filters)) out.push(record);
      if (out.length >= want) return out;
    }
    if (page.length < chunk) return out;
    chunk = Math.min(chunk * 2, 1000);
  }
}

/**
 * Up to `want` matching records with ids before `beforeId`, the nearest ones, in id order. Dataset
 * pages only forward, so this scans id windows below the cursor, doubling each time, until it has
 * enough or reaches the start of the resource's id range.
 */
export function scanBackward(dataset: Dataset, resource: ShopifyResource, filters: ListFilters, beforeId: number, want: number): StoredRecord[] {
  const floor = Math.max(ID_BASE[resource], filters.sinceId ?? -Infinity);
  if (filters.ids) {
    const out: StoredRecord[] = [];
    for (let i = filters.ids.length - 1; i >= 0 && out.length < want; i--) {
      const id = filters.ids[i];
      if (id >= beforeId || id <= floor) continue;
      const record = dataset.get(resource, id);
      if (record && matchesFilters(resource, record, filters)) out.unshift(record);
    }
    return out;
  }
  let found: StoredRecord[] = [];
  let high = beforeId - 1;
  for (let width = 2 * want + 8; found.length < want && high > floor; width *= 2) {
    const low = Math.max(floor, high - width);
    found = [...collect(dataset, resource, filters, low, high), ...found];
    high = low;
  }
  return found.slice(-want);
}

/**
 * How many records match, up to `limit` (GraphQL's count queries stop there): the live count when
 * nothing filters, else a scan.
 */
export function countMatching(dataset: Dataset, resource: ShopifyResource, filters: ListFilters, limit = Infinity): number {
  if (limit <= 0) return 0;
  const filtered = Object.entries(filters).some(([key, value]) => value !== undefined && !(key === "status" && isOnlyAny(value)));
  if (!filtered) return Math.min(dataset.liveCount(resource), limit);
  if (filters.ids)
    return Math.min(
      filters.ids.map((id) => dataset.get(resource, id)).filter((record) => record !== undefined && matchesFilters(resource, record, filters)).length,
      limit,
    );
  let count = 0;
  for (let cursor: number | undefined = undefined; ;) {
    const page = dataset.list(resource, { ...timeOptions(filters), afterId: cursor, limit: 1000 });
    for (const record of page) if (matchesFilters(resource, record, filters) && ++count >= limit) return count;
    if (page.length < 1000) return count;
    cursor = page[page.length - 1].id;
  }
}

/** Matching records with low < id <= high. */
function collect(dataset: Dataset, resource: ShopifyResource, filters: ListFilters, low: number, high: number): StoredRecord[] {
  const out: StoredRecord[] = [];
  for (let cursor = low; ;) {
    const chunk = Math.min(1000, Math.max(1, high - cursor));
    const page = dataset.list(resource, { ...timeOptions(filters), afterId: cursor, limit: chunk });
    for (const record of page) {
      if (record.id > high) return out;
      cursor = record.id;
      if (matchesFilters(resource, record, filters)) out.push(record);
    }
    if (page.length < chunk) return out;
  }
}

function timeOptions(filters: ListFilters): Omit<ListOptions, "limit"> {
  return { createdMin: filters.createdMin, createdMax: filters.createdMax, updatedMin: filters.updatedMin, updatedMax: filters.updatedMax };
}

/** open: neither closed nor cancelled; closed: has closed_at; cancelled: has cancelled_at. */
function orderHasStatus(data: Record<string, unknown>, status: string): boolean {
  const closed = data.closed_at !== null && data.closed_at !== undefined;
  const cancelled = data.cancelled_at !== null && data.cancelled_at !== undefined;
  if (status === "open") return !closed && !cancelled;
  if (status === "closed") return closed;
  if (status === "cancelled") return cancelled;
  return status === "any";
}

function financialMatches(actual: string, wanted: string): boolean {
  if (wanted === "any") return true;
  if (wanted === "unpaid") return actual === "pending" || actual === "authorized" || actual === "partially_paid";
  return actual === wanted;
}

function fulfillmentMatches(actual: unknown, wanted: string): boolean {
  switch (wanted) {
    case "any":
      return true;
    case "shipped":
      return actual === "fulfilled";
    case "partial":
      return actual === "partial";
    case "unshipped":
      return actual === null;
    case "unfulfilled":
      return actual === null || actual === "partial";
    default:
      return false;
  }
}

/** Filters Dataset.list cannot apply: statuses (except status=any). */
function hasRecordFilters(filters: ListFilters): boolean {
  return (filters.status !== undefined && !isOnlyAny(filters.status)) || filters.financialStatus !== undefined || filters.fulfillmentStatus !== undefined;
}

function isOnlyAny(value: unknown): boolean {
  return Array.isArray(value) && value.includes("any");
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}
