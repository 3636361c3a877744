// Reads for the Webhooks pages: endpoints with their recent failure rate, one endpoint, its
// deliveries (keyset-paginated, with every attempt), and how many failed deliveries a replay would
// queue. Every select lists its columns: the secret columns (secret_encrypted,
// previous_secret_encrypted) are never read here, so they cannot reach a page or the browser.
import type { TenantDb } from "@/lib/db/tenant";
import { isSaneInstant } from "@/lib/input";
import type { DeliveryStatus } from "@/lib/generated/prisma/enums";
import { CONNECTION_EVENTS, eventCatalogue, eventPatternProblem, objectEventNames, OPERATIONAL_EVENTS, RUN_EVENTS } from "@/lib/events/catalog";
import { humanize } from "@/lib/format";

export const DELIVERY_STATUSES = ["pending", "succeeded", "failed", "cancelled"] as const satisfies readonly DeliveryStatus[];
export const DELIVERIES_PAGE_SIZE = 25;
const DAY_MS = 24 * 3600 * 1000;

const ENDPOINT_COLUMNS = {
  id: true,
  url: true,
  description: true,
  eventTypes: true,
  objects: true,
  retrySchedule: true,
  timeoutMs: true,
  orderingWaitSeconds: true,
  enabled: true,
  disabledReason: true,
  disabledAt: true,
  failingSince: true,
  previousSecretExpiresAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

export interface DeliveryStats {
  total: number;
  succeeded: number;
  failed: number;
  /** Pending deliveries that already had an attempt: failing, waiting for their next try. */
  retrying: number;
  /** Failed (or retrying) over those that had at least one attempt; null when none did. */
  failureRate: number | null;
}

function stats(rows: { status: DeliveryStatus; attempted: boolean; count: number }[]): DeliveryStats {
  const sum = (match: (row: (typeof rows)[number]) => boolean) => rows.filter(match).reduce((total, row) => total + row.count, 0);
  const succeeded = sum((row) => row.status === "succeeded");
  const failed = sum((row) => row.status === "failed");
  const retrying = sum((row) => row.status === "pending" && row.attempted);
  const attempted = succeeded + failed + retrying;
  return { total: sum(() => true), succeeded, failed, retrying, failureRate: attempted ? (failed + retrying) / attempted : null };
}

/** Deliveries created since `since`, per endpoint, counted by status in the database. */
async function deliveryStatsByEndpoint(db: TenantDb, endpointIds: string[], since: Date): Promise<Map<string, DeliveryStats>> {
  if (endpointIds.length === 0) return new Map();
  const [byStatus, retrying] = await Promise.all([
    db.delivery.groupBy({ by: ["endpointId", "status"], where: { endpointId: { in: endpointIds }, createdAt: { gte: since } }, _count: { _all: true } }),
    db.delivery.groupBy({
      by: ["endpointId"],
      where: { endpointId: { in: endpointIds }, createdAt: { gte: since }, status: "pending", attemptCount: { gt: 0 } },
      _count: { _all: true },
    }),
  ]);
  const result = new Map<string, DeliveryStats>();
  for (const id of endpointIds) {
    const rows: { status: DeliveryStatus; attempted: boolean; count: number }[] = [];
    for (const row of byStatus.filter((r) => r.endpointId === id)) {
      const count = row._count._all;
      if (row.status !== "pending") rows.push({ status: row.status, attempted: true, count });
      else {
        const attempted = retrying.find((r) => r.endpointId === id)?._count._all ?? 0;
        rows.push({ status: "pending", attempted: true, count: attempted }, { status: "pending", attempted: false, count: count - attempted });
      }
    }
    result.set(id, stats(rows));
  }
  return result;
}

export async function listEndpoints(db: TenantDb, now = new Date()) {
  const endpoints = await db.webhookEndpoint.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: ENDPOINT_COLUMNS });
  const recent = await deliveryStatsByEndpoint(
    db,
    endpoints.map((endpoint) => endpoint.id),
    new Date(now.getTime() - DAY_MS),
  );
  return endpoints.map((endpoint) => ({ ...endpoint, recent: recent.get(endpoint.id) ?? stats([]) }));
}

export type EndpointSummary = Awaited<ReturnType<typeof listEndpoints>>[number];

/** One endpoint of the member's organization and environment, or null (another's reads as missing). */
export async function getEndpoint(db: TenantDb, id: string, now = new Date()) {
  const endpoint = await db.webhookEndpoint.findFirst({ where: { id }, select: ENDPOINT_COLUMNS });
  if (!endpoint) return null;
  const recent = (await deliveryStatsByEndpoint(db, [id], new Date(now.getTime() - DAY_MS))).get(id) ?? stats([]);
  // A rotation is under way while the previous secret still signs.
  const rotationEndsAt = endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now ? endpoint.previousSecretExpiresAt : null;
  return { ...endpoint, recent, rotationEndsAt };
}

export type EndpointDetail = NonNullable<Awaited<ReturnType<typeof getEndpoint>>>;

export interface DeliveryCursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(cursor: DeliveryCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`).toString("base64url");
}

/** The cursor, or null when it is not one this module made: a delivery id and a time both databases and JavaScript represent. */
export function decodeCursor(value: string | null | undefined): DeliveryCursor | null {
  if (!value || value.length > 500) return null;
  const [iso, id] = Buffer.from(value, "base64url").toString().split("|");
  const createdAt = new Date(iso ?? "");
  return id && /^dlv_[0-9A-Za-z]{1,64}$/.test(id) && isSaneInstant(createdAt) ? { createdAt, id } : null;
}

export function parseDeliveryStatus(value: string | null | undefined): DeliveryStatus | null {
  return DELIVERY_STATUSES.find((status) => status === value) ?? null;
}

/**
 * A page of an endpoint's deliveries, newest first, each with its attempts. Keyset on
 * (created_at, id) so a page costs the same deep in the history (index deliveries(endpoint_id, created_at)).
 */
export async function listDeliveries(
  db: TenantDb,
  endpointId: string,
  options: { status?: DeliveryStatus | null; cursor?: DeliveryCursor | null; limit?: number } = {},
) {
  const limit = options.limit ?? DELIVERIES_PAGE_SIZE;
  const cursor = options.cursor;
  const rows = await db.delivery.findMany({
    where: {
      endpointId,
      ...(options.status ? { status: options.status } : {}),
      ...(cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: {
      id: true,
      status: true,
      attemptCount: true,
      nextAttemptAt: true,
      lastAttemptAt: true,
      createdAt: true,
      event: { select: { id: true, type: true } },
      attempts: {
        orderBy: { number: "desc" },
        select: { number: true, startedAt: true, statusCode: true, latencyMs: true, responseExcerpt: true, error: true },
      },
    },
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    deliveries: page.map((delivery) => ({
      id: delivery.id,
      status: delivery.status,
      eventId: delivery.event.id,
      eventType: delivery.event.type,
      attemptCount: delivery.attemptCount,
      nextAttemptAt: delivery.status === "pending" ? delivery.nextAttemptAt : null,
      lastAttemptAt: delivery.lastAttemptAt,
      createdAt: delivery.createdAt,
      attempts: delivery.attempts,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
  };
}

export type DeliveryPage = Awaited<ReturnType<typeof listDeliveries>>;

/** How many deliveries replayFailed would queue again for this window (the confirmation says it). */
export async function countFailedDeliveries(db: TenantDb, endpointId: string, window: { from: Date; to: Date }): Promise<number> {
  return db.delivery.count({ where: { endpointId, status: "failed", createdAt: { gte: window.from, lt: window.to } } });
}

export interface EventTypeGroup {
  label: string;
  types: string[];
}

const WILDCARDS = ["CONNECTION_*", "*_SYNC_STARTED", "*_SYNC_COMPLETED", "*_SYNC_FAILED", "*_CREATED", "*_UPDATED", "*_DELETED"];

/** The event picker's choices: useful wildcards, then the catalogue by family and by object. */
export function eventTypeGroups(): EventTypeGroup[] {
  const catalogue = new Set(eventCatalogue());
  const suffixes = ["SYNC_STARTED", "SYNC_COMPLETED", "SYNC_FAILED", "CREATED", "UPDATED", "DELETED"];
  return [
    { label: "Wildcards", types: WILDCARDS.filter((pattern) => eventPatternProblem(pattern) === null) },
    { label: "Connections", types: [...CONNECTION_EVENTS] },
    { label: "Syncs", types: [...RUN_EVENTS] },
    { label: "Endpoints", types: [...OPERATIONAL_EVENTS] },
    ...objectEventNames().map((name) => ({
      label: humanize(name),
      types: suffixes.map((suffix) => `${name}_${suffix}`).filter((type) => catalogue.has(type)),
    })),
  ];
}
