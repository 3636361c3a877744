// Reads behind an endpoint's status and one delivery's page: how many of an endpoint's deliveries are
// still retrying (whatever their age: the 24-hour statistics miss an old one still in backoff), and one
// delivery with its event, every attempt and the request as it was sent. Like presenters/webhooks.ts,
// no select here reads a secret column.
import type { TenantDb } from "@/lib/db/tenant";
import { renderDeliveryBody } from "@/lib/webhooks/deliver";

export interface EndpointBacklog {
  /** Pending deliveries that already had an attempt: failing, waiting for their next try. */
  retrying: number;
  /** Pending deliveries, attempted or not (what a disabled endpoint is holding back). */
  pending: number;
  /** When the oldest retrying delivery was created. */
  oldestRetryingAt: Date | null;
}

const EMPTY: EndpointBacklog = { retrying: 0, pending: 0, oldestRetryingAt: null };

/** Each endpoint's pending deliveries, retrying or not yet attempted, counted in the database. */
export async function endpointBacklogs(db: TenantDb, endpointIds: string[]): Promise<Map<string, EndpointBacklog>> {
  const result = new Map<string, EndpointBacklog>();
  if (endpointIds.length === 0) return result;
  const [pending, retrying] = await Promise.all([
    db.delivery.groupBy({ by: ["endpointId"], where: { endpointId: { in: endpointIds }, status: "pending" }, _count: { _all: true } }),
    db.delivery.groupBy({
      by: ["endpointId"],
      where: { endpointId: { in: endpointIds }, status: "pending", attemptCount: { gt: 0 } },
      _count: { _all: true },
      _min: { createdAt: true },
    }),
  ]);
  for (const id of endpointIds) {
    const waiting = retrying.find((row) => row.endpointId === id);
    result.set(id, {
      pending: pending.find((row) => row.endpointId === id)?._count._all ?? 0,
      retrying: waiting?._count._all ?? 0,
      oldestRetryingAt: waiting?._min.createdAt ?? null,
    });
  }
  return result;
}

export async function endpointBacklog(db: TenantDb, endpointId: string): Promise<EndpointBacklog> {
  return (await endpointBacklogs(db, [endpointId])).get(endpointId) ?? EMPTY;
}

/** The recorded headers as name → value, or null when the attempt predates their recording. */
function headersOf(value: unknown): Record<string, string> | null {
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  return Object.fromEntries(Object.entries(value).map(([name, header]) => [name, String(header)]));
}

/**
 * One delivery of an endpoint with its event, its attempts (oldest first) and the request as sent:
 * the body is rendered by the function that signs it, so what is shown is what was POSTed.
 */
export async function getDeliveryDetail(db: TenantDb, endpointId: string, deliveryId: string) {
  const delivery = await db.delivery.findFirst({
    where: { id: deliveryId, endpointId },
    select: {
      id: true,
      status: true,
      attemptCount: true,
      nextAttemptAt: true,
      lastAttemptAt: true,
      leaseExpiresAt: true,
      createdAt: true,
      stream: true,
      sequence: true,
      endpoint: { select: { id: true, url: true, enabled: true } },
      event: { select: { id: true, type: true, createdAt: true, data: true } },
      attempts: {
        orderBy: { number: "asc" },
        select: { number: true, startedAt: true, statusCode: true, latencyMs: true, responseExcerpt: true, error: true, requestHeaders: true },
      },
    },
  });
  if (!delivery) return null;
  const { event } = delivery;
  // The body is the same on every attempt (only the headers' timestamp and signatures change), so it is
  // rendered by the function the sender uses rather than stored with each attempt.
  const body = renderDeliveryBody({
    eventId: event.id,
    eventType: event.type,
    eventCreatedAt: event.createdAt,
    eventData: event.data,
    stream: delivery.stream,
    sequence: delivery.sequence,
  });
  return {
    id: delivery.id,
    status: delivery.status,
    attemptCount: delivery.attemptCount,
    nextAttemptAt: delivery.status === "pending" ? delivery.nextAttemptAt : null,
    lastAttemptAt: delivery.lastAttemptAt,
    leaseExpiresAt: delivery.leaseExpiresAt,
    createdAt: delivery.createdAt,
    endpoint: delivery.endpoint,
    event: { id: event.id, type: event.type, createdAt: event.createdAt },
    stream: delivery.stream,
    sequence: delivery.sequence,
    request: { method: "POST" as const, url: delivery.endpoint.url, body },
    // Attempts made before headers were recorded have none.
    attempts: delivery.attempts.map((attempt) => ({ ...attempt, requestHeaders: headersOf(attempt.requestHeaders) })),
  };
}

export type DeliveryDetail = NonNullable<Awaited<ReturnType<typeof getDeliveryDetail>>>;
