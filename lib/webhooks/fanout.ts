// Fan-out from the outbox: events not yet fanned out become one delivery per enabled endpoint that
// wants them, and are marked fanned out, in one transaction. A process dying in between rolls both
// back, so no event is ever skipped; the unique (endpoint, event) pair keeps a repeat from doubling.
// Each delivery gets the next number of its stream (streams.ts); fan-out runs one transaction at a
// time (an advisory lock), so numbers follow the outbox's order even with several workers.
import { rawQuery, type Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { eventPattern } from "@/lib/events/catalog";
import { insertSequencedDeliveriesSql, streamOf, type NewDelivery } from "./streams";

interface PendingEvent {
  id: string;
  organization_id: string;
  environment: "sandbox" | "production";
  connection_id: string | null;
  type: string;
  object: string | null;
}

export function endpointWants(endpoint: { eventTypes: string[]; objects: string[] }, event: { type: string; object: string | null }): boolean {
  if (endpoint.eventTypes.length && !endpoint.eventTypes.some((pattern) => eventPattern(pattern)(event.type))) return false;
  if (endpoint.objects.length && event.object !== null && !endpoint.objects.includes(event.object)) return false;
  return true;
}

/** Fans out up to `limit` events, oldest first; returns how many events and deliveries it handled. */
export async function fanOutEvents(db: Db, options: { limit?: number } = {}): Promise<{ events: number; deliveries: number }> {
  // Nothing to fan out is the usual answer to a poll: one probe of the outbox's index, not a
  // transaction of four statements. An event committed after the probe is found by the next call.
  if ((await rawQuery(db, Prisma.sql`select 1 from events where fanned_out_at is null limit 1`)).rowCount === 0) return { events: 0, deliveries: 0 };
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext('tributary:webhook-fan-out'))`;
    const events = await tx.$queryRaw<PendingEvent[]>`
      select id, organization_id, environment::text as environment, connection_id, type, object from events
      where fanned_out_at is null order by seq limit ${options.limit ?? 500}
      for update skip locked`;
    if (events.length === 0) return { events: 0, deliveries: 0 };
    const scopes = [...new Set(events.map((e) => `${e.organization_id}/${e.environment}`))].map((key) => key.split("/") as [string, "sandbox" | "production"]);
    const endpoints = await tx.webhookEndpoint.findMany({
      where: { enabled: true, OR: scopes.map(([organizationId, environment]) => ({ organizationId, environment })) },
      select: { id: true, organizationId: true, environment: true, eventTypes: true, objects: true },
    });
    const deliveries = events.flatMap((event) =>
      endpoints
        .filter((endpoint) => endpoint.organizationId === event.organization_id && endpoint.environment === event.environment && endpointWants(endpoint, event))
        .map((endpoint): NewDelivery => ({
          organizationId: event.organization_id,
          environment: event.environment,
          endpointId: endpoint.id,
          eventId: event.id,
          stream: streamOf({ connectionId: event.connection_id }),
        })),
    );
    // Two statements for the whole batch (Prisma's createMany and updateMany cost ~1 ms an event here).
    if (deliveries.length) await tx.$executeRaw(insertSequencedDeliveriesSql(deliveries));
    await tx.$executeRaw`update events set fanned_out_at = now() where id = any(${events.map((e) => e.id)}::text[])`;
    return { events: events.length, deliveries: deliveries.length };
  });
}
