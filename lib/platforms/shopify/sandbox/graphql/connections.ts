// Connections as Shopify pages them (https://shopify.dev/docs/api/usage/pagination-graphql): `first`
// or `last` (one of them, at most 250), `after`/`before` cursors, `reverse`, `sortKey`, and
// pageInfo { hasNextPage hasPreviousPage startCursor endCursor }. Cursors are opaque: base64 of
// {"last_id":…,"last_value":…}, the shape Shopify's own decode to; the filters come from the query's
// arguments again on every page, as on Shopify.
//
// Top-level lists read the Dataset page by page (listing.ts's id-ordered scans, Dataset.listByUpdatedAt
// for UPDATED_AT), so a page costs O(page), never O(store). UPDATED_AT pages forward only: `last` or
// `reverse` with it is refused with an error naming the limitation (Shopify supports both).
import { GraphQLError } from "graphql";
import type { Dataset, StoredRecord } from "@/lib/sandbox/dataset";
import { matchesFilters, scanBackward, scanForward } from "../listing";
import type { ListFilters } from "../query";
import type { ShopifyResource } from "../render";

export const MAX_PAGE_SIZE = 250;

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface Connection {
  edges: { cursor: string; node: unknown }[];
  nodes: unknown[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

interface Position {
  last_id: number;
  last_value?: string | number;
}

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString("base64");
}

export function decodeCursor(cursor: string): Position {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as Position;
    if (typeof value.last_id === "number") return value;
  } catch {
    // falls through to the error
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: "BAD_REQUEST" } });
}

/** The page size and direction, checked the way Shopify refuses bad ones. */
export function pageSize(args: ConnectionArgs, field: string): { size: number; fromEnd: boolean } {
  const { first, last } = args;
  if (first === undefined || first === null) {
    if (last === undefined || last === null) throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  } else if (last !== undefined && last !== null) {
    throw new GraphQLError(`Passing both \`first\` and \`last\` to paginate the \`${field}\` connection is not supported.`, {
      extensions: { code: "BAD_REQUEST" },
    });
  }
  const size = (first ?? last) as number;
  if (size < 0 || size > MAX_PAGE_SIZE)
    throw new GraphQLError(`The \`${first !== null && first !== undefined ? "first" : "last"}\` argument must be between 0 and ${MAX_PAGE_SIZE}.`, {
      extensions: { code: "BAD_REQUEST" },
    });
  return { size, fromEnd: first === undefined || first === null };
}

function connection<T>(
  items: T[],
  cursorOf: (item: T) => string,
  hasNextPage: boolean,
  hasPreviousPage: boolean,
  toNode: (item: T) => unknown = (item) => item,
): Connection {
  const edges = items.map((item) => ({ cursor: cursorOf(item), node: toNode(item) }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: { hasNextPage, hasPreviousPage, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

/**
 * A connection over a list held in memory (a product's variants, an order's line items, deletion events):
 * cursors carry the item's position. In a bulk operation (no first/last) the whole list.
 */
export function arrayConnection<T>(
  all: T[],
  args: ConnectionArgs,
  field = "items",
  key: (item: T, index: number) => number = (_item, index) => index + 1,
): Connection {
  const ordered = args.reverse ? [...all].reverse() : all;
  const keys = ordered.map((item) => key(item, all.indexOf(item)));
  const cursorOf = (item: T) => encodeCursor({ last_id: keys[ordered.indexOf(item)] });
  if (args.first === undefined && args.last === undefined) return connection(ordered, cursorOf, false, false);
  const { size, fromEnd } = pageSize(args, field);
  let start = 0;
  let end = ordered.length;
  if (args.after) start = Math.max(0, keys.indexOf(decodeCursor(args.after).last_id) + 1);
  if (args.before) {
    const at = keys.indexOf(decodeCursor(args.before).last_id);
    if (at >= 0) end = at;
  }
  const window = ordered.slice(start, end);
  const page = fromEnd ? window.slice(Math.max(0, window.length - size)) : window.slice(0, size);
  return fromEnd ? connection(page, cursorOf, end < ordered.length, window.length > size) : connection(page, cursorOf, window.length > size, start > 0);
}

export type SortKey = "ID" | "CREATED_AT" | "UPDATED_AT";

/**
 * One page of a store resource in `sortKey` order. CREATED_AT is id order here: ids are given in
 * creation order, base and created records alike (dataset.ts).
 */
export function resourcePage(
  dataset: Dataset,
  resource: ShopifyResource,
  filters: ListFilters,
  sortKey: SortKey,
  args: ConnectionArgs,
  field: string,
  toNode: (record: StoredRecord) => unknown,
): Connection {
  const { size, fromEnd } = pageSize(args, field);
  if (sortKey === "UPDATED_AT") {
    if (fromEnd || args.reverse || args.before)
      throw new GraphQLError("The sandbox pages sortKey UPDATED_AT forward only: use first/after without reverse.", { extensions: { code: "BAD_REQUEST" } });
    const after = args.after ? decodeCursor(args.after) : undefined;
    const found = byUpdatedAt(dataset, resource, filters, after ? { updatedAt: Number(after.last_value), id: after.last_id } : undefined, size + 1);
    const page = found.slice(0, size);
    const cursorOf = (record: StoredRecord) => encodeCursor({ last_id: record.id, last_value: record.updatedAt });
    return connection(page, cursorOf, found.length > size, after !== undefined, toNode);
  }
  const descending = args.reverse === true;
  // Walking the list forward is walking ids up, or down when reversed.
  const walk = (up: boolean, from: number | undefined, want: number): StoredRecord[] => {
    if (up) return scanForward(dataset, resource, filters, from, want);
    return scanBackward(dataset, resource, filters, from ?? topId(dataset, resource), want).reverse();
  };
  const afterId = args.after ? decodeCursor(args.after).last_id : undefined;
  const beforeId = args.before ? decodeCursor(args.before).last_id : undefined;
  let page: StoredRecord[];
  let hasNextPage: boolean;
  let hasPreviousPage: boolean;
  if (!fromEnd) {
    const found = walk(!descending, afterId, size + 1);
    page = found.slice(0, size);
    hasNextPage = found.length > size && (beforeId === undefined || (descending ? found[size].id > beforeId : found[size].id < beforeId));
    if (beforeId !== undefined) page = page.filter((r) => (descending ? r.id > beforeId : r.id < beforeId));
    hasPreviousPage = afterId !== undefined && page.length > 0 && walk(descending, page[0].id, 1).length > 0;
  } else {
    const found = walk(descending, beforeId, size + 1); // nearest first
    page = found.slice(0, size).reverse();
    hasPreviousPage = found.length > size;
    if (afterId !== undefined) page = page.filter((r) => (descending ? r.id < afterId : r.id > afterId));
    hasNextPage = beforeId !== undefined && page.length > 0 && walk(!descending, page[page.length - 1].id, 1).length > 0;
  }
  return connection(page, (record) => encodeCursor({ last_id: record.id, last_value: record.id }), hasNextPage, hasPreviousPage, toNode);
}

/** Records in (updatedAt, id) order after `after`, matching every filter. */
export function byUpdatedAt(
  dataset: Dataset,
  resource: ShopifyResource,
  filters: ListFilters,
  after: { updatedAt: number; id: number } | undefined,
  want: number,
): StoredRecord[] {
  const out: StoredRecord[] = [];
  let cursor = after;
  for (;;) {
    const chunk = Math.max(want * 2, 50);
    const page = dataset.listByUpdatedAt(resource, {
      since: filters.updatedMin ?? 0,
      until: filters.updatedMax === undefined ? undefined : filters.updatedMax + 1,
      after: cursor,
      limit: chunk,
    });
    for (const record of page) {
      cursor = { updatedAt: record.updatedAt, id: record.id };
      if (matchesFilters(resource, record, filters)) out.push(record);
      if (out.length >= want) return out;
    }
    if (page.length < chunk) return out;
  }
}

/** One past the highest id the resource can hold now: where a walk down from the end starts. */
function topId(dataset: Dataset, resource: ShopifyResource): number {
  const changed = dataset.snapshot().nextIds[resource];
  return changed ?? Number.MAX_SAFE_INTEGER;
}
