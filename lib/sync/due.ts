// Which connections have work now: for the embedded worker's claims (the lease of lib/queue/lease.ts)
// and for Inngest's scheduler. A connection is due when a run of it is queued, running (its worker
// died: the lease expired) or rate-limited past its resume time, or when its schedule says so
// (next_sync_at reached, history batches pending), unless it cannot sync (needs update, disabled,
// deleted) or a backfill holds its schedule.
import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db/client";
import { claim } from "@/lib/queue/lease";
import { SYNC_RUN, sqlList } from "@/lib/lifecycles";

function dueCondition(now: Date): Prisma.Sql {
  return Prisma.sql`
    c.deleted_at is null and c.platform_account_id is not null and c.health in ('HEALTHY', 'UNHEALTHY')
    and (
      exists (
        select 1 from sync_runs r where r.connection_id = c.id
          and (r.status in ('queued', 'running') or (r.status = 'rate_limited' and r.resume_at <= ${now}))
      )
      or (
        (c.next_sync_at is null or c.next_sync_at <= ${now})
        and not (c.stage = 'ONGOING' and c.incremental_paused_at is not null)
        and not exists (select 1 from sync_runs r where r.connection_id = c.id and r.status = 'rate_limited' and r.resume_at > ${now})
      )
    )`;
}

export interface DueConnection {
  id: string;
  platform: string;
  /** Stable while the same work is due and nobody took it up: the scheduler's idempotency key. */
  dueKey: string;
}

/**
 * Due connections whose lease is free, oldest due first, for the Inngest scheduler. Inngest's
 * connection-sync holds the connection's lease while it works (inngest/functions/steps.ts), so a
 * connection being synced is not due. The key is the work due (its pending run, or its next-sync time
 * and batch) and the name of the last lease on it: a tick repeated before the sync started repeats
 * the key (Inngest drops an event whose id it saw in the last 24 hours), and a function that died
 * leaves its own lease name in the key, so the next tick after that lease expires is a new event.
 */
export async function dueConnections(db: Db, now: Date, limit: number): Promise<DueConnection[]> {
  return db.$queryRaw<DueConnection[]>`
    select c.id, c.platform,
           coalesce(
             (select 'run:' || r.id from sync_runs r where r.connection_id = c.id and r.status in ${sqlList(SYNC_RUN.active)} order by r.created_at limit 1),
             'schedule:' || coalesce(to_char(c.next_sync_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS'), 'now') || ':' || c.batches_completed
           ) || coalesce(':' || c.lease_owner, '') as "dueKey"
    from connections c
    where ${dueCondition(now)} and (c.lease_expires_at is null or c.lease_expires_at < now())
    order by c.next_sync_at nulls first
    limit ${limit}`;
}

/** Leases up to `limit` due connections whose lease is free to `owner`, for `leaseMs`. */
export async function claimDueConnections(db: Db, input: { owner: string; now: Date; limit: number; leaseMs: number }): Promise<string[]> {
  return claim(db, "connections", {
    owner: input.owner,
    limit: input.limit,
    leaseMs: input.leaseMs,
    due: dueCondition(input.now),
    order: Prisma.sql`c.next_sync_at nulls first`,
  });
}
