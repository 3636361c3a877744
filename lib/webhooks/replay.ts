// Resending and replaying (DESIGN.md section 5): one delivery again; every failed delivery of an
// endpoint in a time window; disabling an endpoint and re-enabling it, optionally with what it missed while
// disabled (events it was never fanned out, and its deliveries that failed); a test event.
// Numbering (streams.ts): a resent or replayed delivery keeps its stream and sequence, so the receiver
// sees a number it has passed before (the same webhook-id: a repeat); deliveries made for missed
// events take the next numbers of their streams, in event order.
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { emitEvent } from "@/lib/events/emit";
import { isAddressedEvent } from "@/lib/events/catalog";
import { FREE_LEASE } from "@/lib/queue/lease";
import { addressedEventSql } from "./addressed-events";
import { endpointWants } from "./fanout";
import { endpointTestStream, insertSequencedDeliveriesSql, streamOf } from "./streams";

/** Sends a delivery once more, whatever its state (a succeeded one too: receivers dedupe on webhook-id). */
export async function resendDelivery(db: Db, deliveryId: string, now = new Date()): Promise<void> {
  await db.delivery.update({ where: { id: deliveryId }, data: { status: "pending", nextAttemptAt: now, ...FREE_LEASE } });
}

/** Queues again every failed delivery of the endpoint created in [from, to); returns how many. */
export async function replayFailed(db: Db, endpointId: string, window: { from: Date; to: Date }, now = new Date()): Promise<number> {
  const { count } = await db.delivery.updateMany({
    where: { endpointId, status: "failed", createdAt: { gte: window.from, lt: window.to } },
    data: { status: "pending", nextAttemptAt: now, ...FREE_LEASE },
  });
  return count;
}

/**
 * Enables the endpoint again. With `replayMissedSince`, events of its organization and environment
 * since then that it wants get deliveries (those fanned out while it was disabled never had one), and
 * its deliveries that failed since then are queued again. Returns how many deliveries were queued.
 */
export async function enableEndpoint(db: Db, endpointId: string, options: { replayMissedSince?: Date; now?: Date } = {}): Promise<number> {
  const now = options.now ?? new Date();
  return db.$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.update({
      where: { id: endpointId },
      data: { enabled: true, disabledReason: null, disabledAt: null, failingSince: null },
    });
    if (!options.replayMissedSince) return 0;
    const since = options.replayMissedSince;
    const events = await tx.event.findMany({
      where: { organizationId: endpoint.organizationId, environment: endpoint.environment, createdAt: { gte: since }, fannedOutAt: { not: null } },
      select: { id: true, type: true, object: true, connectionId: true },
      orderBy: { seq: "asc" },
    });
    // Events addressed to one endpoint (a test event, a sync job run's stream) are not anyone else's to miss.
    const missed = events.filter((event) => !isAddressedEvent(event.type) && endpointWants(endpoint, event));
    // Missed events are new to the endpoint: they take the next numbers of their streams, in event order.
    const created = missed.length
      ? await tx.$executeRaw(
          insertSequencedDeliveriesSql(
            missed.map((event) => ({
              organizationId: endpoint.organizationId,
              environment: endpoint.environment,
              endpointId,
              eventId: event.id,
              stream: streamOf(event),
            })),
            { nextAttemptAt: now },
          ),
        )
      : 0;
    const failed = await tx.delivery.updateMany({
      where: { endpointId, status: "failed", createdAt: { gte: since } },
      data: { status: "pending", nextAttemptAt: now, ...FREE_LEASE },
    });
    return created + failed.count;
  });
}

/** Disables an endpoint by hand: nothing is sent to it (its pending deliveries wait) until it is enabled again. */
export async function disableEndpoint(db: Db, endpointId: string, reason = "Disabled by a member of the team"): Promise<void> {
  await db.$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.update({ where: { id: endpointId }, data: { enabled: false, disabledReason: reason, disabledAt: new Date() } });
    await emitEvent(tx, {
      organizationId: endpoint.organizationId,
      environment: endpoint.environment,
      type: "ENDPOINT_DISABLED",
      data: { endpoint_id: endpointId, url: endpoint.url, reason },
    });
  });
}

/** An ENDPOINT_TEST event delivered to this endpoint only; returns the delivery id. */
export async function sendTestEvent(db: Db, endpointId: string): Promise<string> {
  const endpoint = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId }, select: { organizationId: true, environment: true } });
  const deliveryId = newId("dlv");
  await db.$executeRaw(
    addressedEventSql({
      event: {
        organizationId: endpoint.organizationId,
        environment: endpoint.environment,
        type: "ENDPOINT_TEST",
        data: { endpoint_id: endpointId, message: "A test event from Tributary" },
      },
      endpointId,
      deliveryId,
      stream: endpointTestStream(deliveryId),
    }),
  );
  return deliveryId;
}
