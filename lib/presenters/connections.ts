// Reads for the Connections pages: one keyset-paginated page of the list (ids are time-sortable, so
// `id < cursor` ordered by id desc walks from newest to oldest without OFFSET, at the same cost on page
// 1 and page 1,000), and one connection's status with its recent activity.
import type { TenantDb } from "@/lib/db/tenant";
import { ConnectionHealth, ConnectionStage } from "@/lib/generated/prisma/enums";
import { isPlatformKey, type PlatformKey } from "@/lib/platforms/catalog";

export const CONNECTIONS_PAGE_SIZE = 50;

export interface ConnectionFilters {
  platform?: PlatformKey;
  stage?: ConnectionStage;
  health?: ConnectionHealth;
}

export interface ConnectionQuery {
  filters: ConnectionFilters;
  cursor?: string;
}

type SearchParams = Record<string, string | string[] | undefined>;

const CONNECTION_ID = /^conn_[0-9A-Za-z]{1,64}$/;

/** The list's query string, with unknown or malformed values dropped rather than rejected. */
export function parseConnectionQuery(params: SearchParams): ConnectionQuery {
  const first = (key: string) => {
    const value = params[key];
    return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
  };
  const platform = first("platform");
  const stage = first("stage");
  const health = first("health");
  const cursor = first("cursor");
  return {
    filters: {
      platform: platform && isPlatformKey(platform) ? platform : undefined,
      stage: oneOf(ConnectionStage, stage),
      health: oneOf(ConnectionHealth, health),
    },
    cursor: cursor && CONNECTION_ID.test(cursor) ? cursor : undefined,
  };
}

/** The enum value named by `value`, or undefined (own keys only: "toString" is not a stage). */
function oneOf<T extends string>(values: Record<string, T>, value: string | undefined): T | undefined {
  return value !== undefined && Object.values(values).includes(value as T) ? (value as T) : undefined;
}

export function hasFilters(filters: ConnectionFilters): boolean {
  return Boolean(filters.platform || filters.stage || filters.health);
}

/** The list URL for these filters and cursor, keeping only what is set. */
export function connectionsHref(filters: ConnectionFilters, cursor?: string): string {
  const query = new URLSearchParams();
  if (filters.platform) query.set("platform", filters.platform);
  if (filters.stage) query.set("stage", filters.stage);
  if (filters.health) query.set("health", filters.health);
  if (cursor) query.set("cursor", cursor);
  const search = query.toString();
  return search ? `/connections?${search}` : "/connections";
}

export interface ConnectionRow {
  id: string;
  platform: string;
  accountName: string | null;
  platformAccountId: string | null;
  stage: ConnectionStage;
  health: ConnectionHealth;
  isReady: boolean;
  lastSyncCompletedAt: Date | null;
  nextSyncAt: Date | null;
  createdAt: Date;
}

export interface ConnectionPage {
  rows: ConnectionRow[];
  /** Connections matching the filters, across all pages. */
  total: number;
  /** Whether any connection exists at all in this environment, filters aside. */
  anyConnection: boolean;
  nextCursor: string | null;
}

export async function getConnectionPage(db: TenantDb, { filters, cursor }: ConnectionQuery): Promise<ConnectionPage> {
  const where = { deletedAt: null, ...filters };
  const [rows, total] = await Promise.all([
    db.connection.findMany({
      where: cursor ? { ...where, id: { lt: cursor } } : where,
      orderBy: { id: "desc" },
      // One more than a page tells whether a next page exists without counting.
      take: CONNECTIONS_PAGE_SIZE + 1,
      select: {
        id: true,
        platform: true,
        accountName: true,
        platformAccountId: true,
        stage: true,
        health: true,
        isReady: true,
        lastSyncCompletedAt: true,
        nextSyncAt: true,
        createdAt: true,
      },
    }),
    db.connection.count({ where }),
  ]);
  const anyConnection = total > 0 || (hasFilters(filters) && (await db.connection.findFirst({ where: { deletedAt: null }, select: { id: true } })) !== null);
  const page = rows.slice(0, CONNECTIONS_PAGE_SIZE);
  return {
    rows: page,
    total,
    anyConnection,
    nextCursor: rows.length > CONNECTIONS_PAGE_SIZE ? page[page.length - 1].id : null,
  };
}

const RECENT = 20;

export async function getConnectionDetail(db: TenantDb, id: string) {
  // Through the tenant client an id from another organization or environment is simply not found.
  const connection = await db.connection.findFirst({
    where: { id },
    select: {
      id: true,
      platform: true,
      accountName: true,
      platformAccountId: true,
      endUserId: true,
      stage: true,
      health: true,
      isReady: true,
      disabledReason: true,
      healthDetail: true,
      batchesTotal: true,
      batchesCompleted: true,
      consecutiveFailures: true,
      lastSyncStartedAt: true,
      lastSyncCompletedAt: true,
      nextSyncAt: true,
      incrementalPausedAt: true,
      createdAt: true,
      deletedAt: true,
    },
  });
  if (!connection) return null;
  const [runs, events, recordCounts] = await Promise.all([
    db.syncRun.findMany({
      where: { connectionId: id },
      orderBy: { createdAt: "desc" },
      take: RECENT,
      select: { id: true, kind: true, status: true, objects: true, batchPosition: true, startedAt: true, finishedAt: true, createdAt: true },
    }),
    db.event.findMany({
      where: { connectionId: id },
      orderBy: { createdAt: "desc" },
      take: RECENT,
      select: { id: true, type: true, object: true, createdAt: true },
    }),
    db.record.groupBy({
      by: ["object"],
      where: { connectionId: id, deletedAt: null },
      _count: { _all: true },
      orderBy: { object: "asc" },
    }),
  ]);
  return {
    connection,
    runs,
    events,
    records: recordCounts.map((row) => ({ object: row.object, count: row._count._all })),
  };
}

export type ConnectionDetail = NonNullable<Awaited<ReturnType<typeof getConnectionDetail>>>;
