// The SQL behind the Connections list, written for 50,000 connections in one environment. Each sort
// reads an index in its own order and stops after a page (keyset on (sort key, id)), all partial on
// `deleted_at is null` (migration 20261123031313_connections_dashboard):
//   newest       (organization_id, environment, created_at)
//   last synced  (organization_id, environment, last_sync_completed_at, id), never-synced rows after
//   name         (organization_id, environment, lower(account_name) collate "C", id), unnamed rows after
// A nullable sort key is read in two segments, the rows that have one then those that do not (by id):
// a row comparison skips nulls, so each segment stays an index range.
//
// Search is a case-insensitive prefix of the account name, the platform's account id or the team's
// end-user id, each on its own index, or an exact connection id (the primary key). An OR of the four
// could not use those indexes (the planner walked the sort order filtering every row: 120–170 ms when
// the matches were old). So the matches are first collected per index, at most SEARCH_COUNT_LIMIT + 1
// per column: when they are few (an actual name or id) the page is sorted from them and their number
// is the total; when there are more, the prefix is broad, matches are dense in any order, and walking
// the sort's index with the OR as a filter finds a page within a few hundred rows.
import type { TenantDb, TenantScope } from "@/lib/db/tenant";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ConnectionHealth, ConnectionStage } from "@/lib/generated/prisma/enums";
import type { PlatformKey } from "@/lib/platforms/catalog";

export const CONNECTION_SORTS = {
  newest: "Newest first",
  last_synced: "Last synced",
  name: "Name (A–Z)",
} as const;

export type ConnectionSort = keyof typeof CONNECTION_SORTS;

export interface ConnectionFilters {
  platform?: PlatformKey;
  stage?: ConnectionStage;
  health?: ConnectionHealth;
}

export interface ConnectionQuery {
  filters: ConnectionFilters;
  /** Prefix of the account name, platform account id or end-user id, or an exact connection id. */
  search?: string;
  sort: ConnectionSort;
  /** Where the page starts: after this row, in the query's sort (decoded from the URL). */
  cursor?: ListCursor;
}

/** The last row of a page, in the sort it was read in: its sort key (null when the row has none) and id. */
export interface ListCursor {
  sort: ConnectionSort;
  key: string | null;
  id: string;
}

/** Up to this many matches a search is counted exactly; beyond, the list says "more than". */
export const SEARCH_COUNT_LIMIT = 1000;

export interface ListRow {
  id: string;
  platform: string;
  accountName: string | null;
  platformAccountId: string | null;
  endUserId: string | null;
  stage: ConnectionStage;
  health: ConnectionHealth;
  isReady: boolean;
  lastSyncCompletedAt: Date | null;
  nextSyncAt: Date | null;
  incrementalPausedAt: Date | null;
  createdAt: Date;
  /** The row's sort key as its cursor holds it: an ISO timestamp or a lowercased name; null in the keyless segment. */
  sortKey: string | null;
}

interface SortSpec {
  /** The sort expression, exactly as its index has it. */
  key: Prisma.Sql;
  /** It as text for the cursor (timestamps in toISOString()'s form, so they round-trip to the millisecond). */
  keyText: Prisma.Sql;
  /** A cursor's key back as a value comparable with `key`. */
  param: (key: string) => Prisma.Sql;
  /** A null of the key's type and collation, for the keyless segment. */
  none: Prisma.Sql;
  nullable: boolean;
  descending: boolean;
}

const iso = (column: string) => Prisma.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

const SORTS: Record<ConnectionSort, SortSpec> = {
  newest: {
    key: Prisma.raw("c.created_at"),
    keyText: iso("c.created_at"),
    param: (key) => Prisma.sql`${key}::timestamptz`,
    none: Prisma.raw("null::timestamptz"),
    nullable: false,
    descending: true,
  },
  last_synced: {
    key: Prisma.raw("c.last_sync_completed_at"),
    keyText: iso("c.last_sync_completed_at"),
    param: (key) => Prisma.sql`${key}::timestamptz`,
    none: Prisma.raw("null::timestamptz"),
    nullable: true,
    descending: true,
  },
  name: {
    key: Prisma.raw(`(lower(c.account_name) collate "C")`),
    keyText: Prisma.raw(`lower(c.account_name)`),
    param: (key) => Prisma.sql`${key}`,
    none: Prisma.raw(`(null::text collate "C")`),
    nullable: true,
    descending: false,
  },
};

const COLUMNS = Prisma.raw(`c.id, c.platform, c.account_name as "accountName", c.platform_account_id as "platformAccountId", c.end_user_id as "endUserId",
  c.stage::text as stage, c.health::text as health, c.is_ready as "isReady", c.last_sync_completed_at as "lastSyncCompletedAt",
  c.next_sync_at as "nextSyncAt", c.incremental_paused_at as "incrementalPausedAt", c.created_at as "createdAt"`);

/** The environment's live connections narrowed by the filters (not the search). */
function scoped(scope: TenantScope, filters: ConnectionFilters): Prisma.Sql {
  const conditions = [
    Prisma.sql`c.organization_id = ${scope.organizationId}`,
    Prisma.sql`c.environment = ${scope.environment}::"EnvironmentKind"`,
    Prisma.sql`c.deleted_at is null`,
  ];
  if (filters.platform) conditions.push(Prisma.sql`c.platform = ${filters.platform}`);
  if (filters.stage) conditions.push(Prisma.sql`c.stage = ${filters.stage}::"ConnectionStage"`);
  if (filters.health) conditions.push(Prisma.sql`c.health = ${filters.health}::"ConnectionHealth"`);
  return Prisma.join(conditions, " and ");
}

/** `value%` for LIKE, with the user's own %, _ and \ taken literally. */
export function likePrefix(value: string): string {
  return `${value.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

// lower() on both sides: the database's own case folding, whatever its locale, matches the index's.
const SEARCH_COLUMNS = ["c.account_name", "c.platform_account_id", "c.end_user_id"].map((column) => Prisma.raw(`(lower(${column}) collate "C")`));

/** One page in the sort, after the cursor; `limit` rows at most (callers ask one more than a page to learn whether another follows). */
function pageSql(where: Prisma.Sql, sort: SortSpec, cursor: ListCursor | undefined, limit: number): Prisma.Sql {
  const direction = Prisma.raw(sort.descending ? "desc" : "asc");
  const after = Prisma.raw(sort.descending ? "<" : ">");
  const segments: Prisma.Sql[] = [];
  if (!cursor || cursor.key !== null) {
    segments.push(Prisma.sql`(
      select ${COLUMNS}, 0 as segment, ${sort.key} as sort_value, ${sort.keyText} as "sortKey"
      from connections c
      where ${where}${sort.nullable ? Prisma.sql` and ${sort.key} is not null` : Prisma.empty}
        ${cursor ? Prisma.sql`and (${sort.key}, c.id) ${after} (${sort.param(cursor.key!)}, ${cursor.id})` : Prisma.empty}
      order by ${sort.key} ${direction}, c.id ${direction}
      limit ${limit})`);
  }
  if (sort.nullable) {
    segments.push(Prisma.sql`(
      select ${COLUMNS}, 1 as segment, ${sort.none} as sort_value, null::text as "sortKey"
      from connections c
      where ${where} and ${sort.key} is null
        ${cursor?.key === null ? Prisma.sql`and c.id ${after} ${cursor.id}` : Prisma.empty}
      order by c.id ${direction}
      limit ${limit})`);
  }
  return Prisma.sql`
    select * from (${Prisma.join(segments, " union all ")}) page
    order by segment, sort_value ${direction}, id ${direction}
    limit ${limit}`;
}

type PageRow = ListRow & { segment: number; sort_value: unknown };

/** How a search narrows the page: to the ids it collected, or (too many to collect) by the prefix itself. */
export type SearchNarrowing = { ids: string[] } | { dense: true } | null;

/** The ids matching the search through each column's own index, at most SEARCH_COUNT_LIMIT + 1 per column. */
export function searchMatchesSql(scope: TenantScope, query: ConnectionQuery & { search: string }): Prisma.Sql {
  const where = scoped(scope, query.filters);
  const pattern = likePrefix(query.search);
  const arms = SEARCH_COLUMNS.map(
    (column) => Prisma.sql`(select c.id from connections c where ${where} and ${column} like lower(${pattern}) limit ${SEARCH_COUNT_LIMIT + 1})`,
  );
  arms.push(Prisma.sql`(select c.id from connections c where ${where} and c.id = ${query.search})`);
  return Prisma.sql`select id from (${Prisma.join(arms, " union ")}) matches`;
}

/** The page's SQL: the filters, the search's narrowing, the sort's keyset after the cursor, `limit` rows. */
export function pageRowsSql(scope: TenantScope, query: ConnectionQuery, limit: number, narrowing: SearchNarrowing): Prisma.Sql {
  let where = scoped(scope, query.filters);
  if (narrowing && "ids" in narrowing) where = Prisma.sql`${where} and c.id = any(${narrowing.ids}::text[])`;
  if (narrowing && "dense" in narrowing && query.search) {
    const pattern = likePrefix(query.search);
    const matches = SEARCH_COLUMNS.map((column) => Prisma.sql`${column} like lower(${pattern})`);
    where = Prisma.sql`${where} and (${Prisma.join(matches, " or ")} or c.id = ${query.search})`;
  }
  return pageSql(where, SORTS[query.sort], query.cursor, limit);
}

/** The page's rows (up to `limit`) and, for a search, how many connections match (null: more than SEARCH_COUNT_LIMIT). */
export async function connectionPageRows(
  db: TenantDb,
  scope: TenantScope,
  query: ConnectionQuery,
  limit: number,
): Promise<{ rows: ListRow[]; matched: number | null }> {
  let narrowing: SearchNarrowing = null;
  let matched: number | null = null;
  if (query.search) {
    const ids = (await db.$queryRaw<{ id: string }[]>(searchMatchesSql(scope, { ...query, search: query.search }))).map((row) => row.id);
    if (ids.length === 0) return { rows: [], matched: 0 };
    if (ids.length <= SEARCH_COUNT_LIMIT) {
      matched = ids.length;
      narrowing = { ids };
    } else {
      narrowing = { dense: true };
    }
  }
  const rows = await db.$queryRaw<PageRow[]>(pageRowsSql(scope, query, limit, narrowing));
  return { rows: rows.map(({ segment: _segment, sort_value: _value, ...row }) => row), matched };
}

/** Connections matching the filters; the partial indexes make it an index-only count. */
export async function countConnections(db: TenantDb, scope: TenantScope, filters: ConnectionFilters): Promise<number> {
  const [{ count }] = await db.$queryRaw<{ count: number }[]>(Prisma.sql`select count(*)::int as count from connections c where ${scoped(scope, filters)}`);
  return count;
}

export async function anyConnection(db: TenantDb, scope: TenantScope): Promise<boolean> {
  const rows = await db.$queryRaw<unknown[]>(Prisma.sql`select 1 from connections c where ${scoped(scope, {})} limit 1`);
  return rows.length > 0;
}
