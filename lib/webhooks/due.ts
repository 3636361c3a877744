// Deliveries due now, not held by anyone and next in their stream (claims.ts), for the Inngest
// dispatcher (and for a chain that has just finished its stream's head); and the holds of an Inngest
// delivery chain, so the dispatcher does not start a second chain:
//   - while it sleeps until the next attempt it holds the delivery as `sleeping:<hold>` — "Retry now"
//     (retry-now.ts) may take such a hold over, and the dispatcher then starts a fresh chain;
//   - when it wakes it turns its own sleeping hold into `attempting:<hold>`, in one statement that
//     fails if the hold was taken over, so a superseded chain ends without sending a second attempt.
import type { Db } from "@/lib/db/client";
import { handOver, hold } from "@/lib/queue/lease";
import { sendableDeliveryIds, type StreamKey } from "./claims";

/** The owner prefix of a hold that only waits (nothing is being sent): "Retry now" may take it over. */
export const SLEEPING_HOLD = "sleeping:";

export async function dueDeliveries(db: Db, limit: number, only?: StreamKey): Promise<{ id: string; endpointId: string; attemptCount: number }[]> {
  const sendable = await sendableDeliveryIds(db, limit, only);
  if (sendable.length === 0) return [];
  return db.$queryRaw`
    select d.id, d.endpoint_id as "endpointId", d.attempt_count as "attemptCount" from deliveries d
    where d.id = any(${sendable}::text[])
    order by d.next_attempt_at limit ${limit}`;
}

/** Marks a delivery as held by a sleeping chain, under the name `name`, until `until` (its next attempt plus a margin). */
export async function holdDelivery(db: Db, deliveryId: string, name: string, until: Date): Promise<void> {
  await hold(db, "deliveries", deliveryId, `${SLEEPING_HOLD}${name}`, until);
}

/**
 * A chain wakes for its next attempt: its sleeping hold `name` becomes an attempting one until
 * `until`. False when the hold is no longer its own (taken over by "Retry now", or expired and
 * taken by another chain): the chain must not attempt.
 */
export async function resumeHold(db: Db, deliveryId: string, name: string, until: Date): Promise<boolean> {
  return handOver(db, "deliveries", deliveryId, { from: `${SLEEPING_HOLD}${name}`, to: `attempting:${name}`, until });
}
