// The Connections list: its query string (filters, search, sort, cursor) and one page of it. Every
// sort is keyset-paginated with a cursor holding the sort key and the id of the page's last row, so
// page 1,000 costs what page 1 does; the SQL and the indexes behind each sort and the search are in
// connections-list.ts.
import { isSaneInstant, textProblem } from "@/lib/input";
import type { TenantDb, TenantScope } from "@/lib/db/tenant";
import { ConnectionHealth, ConnectionStage } from "@/lib/generated/prisma/enums";
import { isPlatformKey } from "@/lib/platforms/catalog";
import {
  anyConnection,
  CONNECTION_SORTS,
  connectionPageRows,
  countConnections,
  type ConnectionFilters,
  type ConnectionQuery,
  type ConnectionSort,
  type ListCursor,
  type ListRow,
} from "./connections-list";

// The query's vocabulary is the SQL's (connections-list.ts); the page and the URL speak it too.
export { CONNECTION_SORTS, type ConnectionFilters, type ConnectionQuery, type ConnectionSort, type ListCursor } from "./connections-list";

export const CONNECTIONS_PAGE_SIZE = 50;
/** Longest search kept; longer input is cut (no account name or id is longer). */
export const SEARCH_MAX_LENGTH = 200;

type SearchParams = Record<string, string | string[] | undefined>;

/** The list's query string, with unknown or malformed values dropped rather than rejected. */
export function parseConnectionQuery(params: SearchParams): ConnectionQuery {
  const first = (key: string) => {
    const value = params[key];
    // PostgreSQL takes no NUL in text and UTF-8 has no lone surrogate: each becomes U+FFFD, which
    // no stored name or id contains, so such a search matches nothing instead of failing the page.
    return (Array.isArray(value) ? value[0] : value)?.trim().toWellFormed().replaceAll("\u0000", "\ufffd") || undefined;
  };
  const platform = first("platform");
  const sort = first("sort");
  const parsedSort: ConnectionSort = sort && Object.hasOwn(CONNECTION_SORTS, sort) ? (sort as ConnectionSort) : "newest";
  const cursor = decodeCursor(first("cursor"));
  return {
    filters: {
      platform: platform && isPlatformKey(platform) ? platform : undefined,
      stage: oneOf(ConnectionStage, first("stage")),
      health: oneOf(ConnectionHealth, first("health")),
    },
    search: first("q")?.replace(/\s+/g, " ").slice(0, SEARCH_MAX_LENGTH) || undefined,
    sort: parsedSort,
    // A cursor from another sort would start the page at a meaningless place: start over instead.
    cursor: cursor?.sort === parsedSort ? cursor : undefined,
  };
}

/** The enum value named by `value`, or undefined (own keys only: "toString" is not a stage). */
function oneOf<T extends string>(values: Record<string, T>, value: string | undefined): T | undefined {
  return value !== undefined && Object.values(values).includes(value as T) ? (value as T) : undefined;
}

export function hasFilters(filters: ConnectionFilters): boolean {
  return Boolean(filters.platform || filters.stage || filters.health);
}

const SORT_CODES: Record<ConnectionSort, string> = { newest: "n", last_synced: "s", name: "a" };

export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify([SORT_CODES[cursor.sort], cursor.key, cursor.id])).toString("base64url");
}

/** The cursor in a URL, or undefined when it is not one this list made (tampered, truncated, another sort's shape). */
export function decodeCursor(value: string | undefined): ListCursor | undefined {
  if (!value || value.length > 1000) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
    const [code, key, id] = parsed as unknown[];
    const sort = (Object.keys(SORT_CODES) as ConnectionSort[]).find((name) => SORT_CODES[name] === code);
    if (!sort || typeof id !== "string" || !/^conn_[0-9A-Za-z]{1,64}$/.test(id)) return undefined;
    if (key !== null && (typeof key !== "string" || textProblem(key))) return undefined;
    // Dates must be dates PostgreSQL can read: newest needs one, last synced may be null (never synced).
    if (sort === "newest" && (key === null || !isSaneInstant(new Date(key)))) return undefined;
    if (sort === "last_synced" && key !== null && !isSaneInstant(new Date(key))) return undefined;
    return { sort, key, id };
  } catch {
    return undefined;
  }
}

/** The list URL for this query with another cursor (or none: the first page), keeping only what is set. */
export function connectionsHref(query: Omit<ConnectionQuery, "cursor">, cursor?: ListCursor | null): string {
  const params = new URLSearchParams();
  if (query.filters.platform) params.set("platform", query.filters.platform);
  if (query.filters.stage) params.set("stage", query.filters.stage);
  if (query.filters.health) params.set("health", query.filters.health);
  if (query.search) params.set("q", query.search);
  if (query.sort !== "newest") params.set("sort", query.sort);
  if (cursor) params.set("cursor", encodeCursor(cursor));
  const search = params.toString();
  return search ? `/connections?${search}` : "/connections";
}

export interface ConnectionRow extends Omit<ListRow, "sortKey"> {
  /** Live records across the connection's objects. */
  recordCount: number;
}

export interface ConnectionPage {
  rows: ConnectionRow[];
  /**
   * Connections matching the filters and search, across all pages; null when a search matches more
   * than SEARCH_COUNT_LIMIT (counting them all would cost what the page is meant to avoid).
   */
  total: number | null;
  /** Whether any connection exists at all in this environment, filters and search aside. */
  anyConnection: boolean;
  nextCursor: ListCursor | null;
}

export async function getConnectionPage(db: TenantDb, scope: TenantScope, query: ConnectionQuery): Promise<ConnectionPage> {
  const [{ rows, matched }, counted] = await Promise.all([
    connectionPageRows(db, scope, query, CONNECTIONS_PAGE_SIZE + 1),
    // A search counts its matches while finding them (or knows there are too many to count).
    query.search ? null : countConnections(db, scope, query.filters),
  ]);
  const total = query.search ? matched : counted;
  const page = rows.slice(0, CONNECTIONS_PAGE_SIZE);
  const narrowed = hasFilters(query.filters) || Boolean(query.search);
  const [counts, any] = await Promise.all([
    recordCounts(
      db,
      page.map((row) => row.id),
    ),
    total === 0 && narrowed ? anyConnection(db, scope) : total !== 0,
  ]);
  const last = page.at(-1);
  return {
    rows: page.map(({ sortKey: _sortKey, ...row }) => ({ ...row, recordCount: counts.get(row.id) ?? 0 })),
    total,
    anyConnection: any,
    nextCursor: rows.length > CONNECTIONS_PAGE_SIZE && last ? { sort: query.sort, key: last.sortKey, id: last.id } : null,
  };
}

/**
 * Live records per connection, from the counters the records triggers keep (record_counts): a page of
 * 50 reads at most 50 × its objects small rows, where counting the records themselves took 285 ms for
 * a page holding two 55k-record connections (and grows with the largest account on the page).
 */
export async function recordCounts(db: TenantDb, connectionIds: string[]): Promise<Map<string, number>> {
  if (connectionIds.length === 0) return new Map();
  const sums = await db.recordCount.groupBy({ by: ["connectionId"], where: { connectionId: { in: connectionIds } }, _sum: { count: true } });
  return new Map(sums.map((row) => [row.connectionId, row._sum.count ?? 0]));
}
