// Deliveries due now and not held by anyone, for the Inngest dispatcher; and holding one for the
// length of an Inngest delivery chain's sleep, so the dispatcher does not start a second chain.
import type { Db } from "@/lib/db/client";

export async function dueDeliveries(db: Db, limit: number): Promise<{ id: string; endpointId: string; attemptCount: number }[]> {
  return db.$queryRaw`
    select d.id, d.endpoint_id as "endpointId", d.attempt_count as "attemptCount" from deliveries d join webhook_endpoints e on e.id = d.endpoint_id
    where d.status = 'pending' and d.next_attempt_at <= now() and e.enabled and (d.lease_expires_at is null or d.lease_expires_at < now())
    order by d.next_attempt_at limit ${limit}`;
}

/** Marks a delivery as held by `owner` until `until` (its next attempt plus a margin). */
export async function holdDelivery(db: Db, deliveryId: string, owner: string, until: Date): Promise<void> {
  await db.delivery.update({ where: { id: deliveryId }, data: { leaseOwner: owner, leaseExpiresAt: until } });
}
