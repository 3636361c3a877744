// Due deliveries for the embedded worker: pending, due, to an enabled endpoint, not leased — claimed
// with FOR UPDATE SKIP LOCKED and a short lease, so two workers never send the same attempt and a
// dead worker's claims come back. attemptDelivery clears the lease with the attempt's outcome.
import type { Db } from "@/lib/db/client";

export async function claimDueDeliveries(db: Db, input: { owner: string; limit: number; leaseMs: number }): Promise<string[]> {
  if (input.limit <= 0) return [];
  const rows = await db.$queryRaw<{ id: string }[]>`
    with due as (
      select d.id from deliveries d join webhook_endpoints e on e.id = d.endpoint_id
      where d.status = 'pending' and d.next_attempt_at <= now() and e.enabled
        and (d.lease_expires_at is null or d.lease_expires_at < now())
      order by d.next_attempt_at
      limit ${input.limit}
      for update of d skip locked
    )
    update deliveries set lease_owner = ${input.owner}, lease_expires_at = now() + make_interval(secs => ${input.leaseMs / 1000}::double precision)
    from due where deliveries.id = due.id
    returning deliveries.id`;
  return rows.map((row) => row.id);
}
