// Which connections have work now, and the embedded worker's leases on them. A connection is due when
// a run of it is queued, running (its worker died: the lease expired) or rate-limited past its resume
// time, or when its schedule says so (next_sync_at reached, history batches pending), unless it cannot
// sync (needs update, disabled, deleted) or a backfill holds its schedule. Claiming is
// `FOR UPDATE SKIP LOCKED` plus a lease: two workers never claim the same connection, and a dead
// worker's connections are claimed again once its leases expire.
import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db/client";

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
  /** Stable while the same work is due: the scheduler's idempotency key. */
  dueKey: string;
}

/** Due connections, oldest due first, for the Inngest scheduler (no lease: Inngest serializes per connection). */
export async function dueConnections(db: Db, now: Date, limit: number): Promise<DueConnection[]> {
  return db.$queryRaw<DueConnection[]>`
    select c.id, c.platform,
           coalesce(
             (select 'run:' || r.id from sync_runs r where r.connection_id = c.id and r.status in ('queued', 'running', 'rate_limited') order by r.created_at limit 1),
             'schedule:' || coalesce(to_char(c.next_sync_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS'), 'now') || ':' || c.batches_completed
           ) as "dueKey"
    from connections c
    where ${dueCondition(now)}
    order by c.next_sync_at nulls first
    limit ${limit}`;
}

/** Claims up to `limit` due connections whose lease is free, for `leaseMs`. */
export async function claimDueConnections(db: Db, input: { owner: string; now: Date; limit: number; leaseMs: number }): Promise<string[]> {
  if (input.limit <= 0) return [];
  const rows = await db.$queryRaw<{ id: string }[]>`
    with due as (
      select c.id from connections c
      where ${dueCondition(input.now)} and (c.lease_expires_at is null or c.lease_expires_at < now())
      order by c.next_sync_at nulls first
      limit ${input.limit}
      for update of c skip locked
    )
    update connections set lease_owner = ${input.owner}, lease_expires_at = now() + make_interval(secs => ${input.leaseMs / 1000}::double precision)
    from due where connections.id = due.id
    returning connections.id`;
  return rows.map((row) => row.id);
}

/** Extends a held lease; false when the lease was lost (expired and claimed by another worker). */
export async function renewLease(db: Db, connectionId: string, owner: string, leaseMs: number): Promise<boolean> {
  const updated = await db.$executeRaw`
    update connections set lease_expires_at = now() + make_interval(secs => ${leaseMs / 1000}::double precision)
    where id = ${connectionId} and lease_owner = ${owner} and lease_expires_at > now()`;
  return updated === 1;
}

export async function releaseLease(db: Db, connectionId: string, owner: string): Promise<void> {
  await db.$executeRaw`update connections set lease_owner = null, lease_expires_at = null where id = ${connectionId} and lease_owner = ${owner}`;
}
