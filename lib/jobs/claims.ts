// Which sync job runs have work now, and the embedded worker's leases on them. A run is due when it
// was just created, is running with no live lease (its worker died, or it waits for its receiver and
// the wait is over) or is rate-limited past its resume time. Claiming is FOR UPDATE SKIP LOCKED plus a
// lease, as for connections: two workers never drive one run, and a dead worker's run is taken over
// once its lease expires.
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";

const due = Prisma.sql`
  r.status in ('created', 'running', 'rate_limited')
  and (r.resume_at is null or r.resume_at <= now())
  and (r.lease_expires_at is null or r.lease_expires_at < now())`;

export async function claimDueJobRuns(db: Db, input: { owner: string; limit: number; leaseMs: number }): Promise<string[]> {
  if (input.limit <= 0) return [];
  const rows = await db.$queryRaw<{ id: string }[]>`
    with claimable as (
      select r.id from sync_job_runs r where ${due}
      order by r.created_at limit ${input.limit}
      for update of r skip locked
    )
    update sync_job_runs set lease_owner = ${input.owner}, lease_expires_at = now() + make_interval(secs => ${input.leaseMs / 1000}::double precision)
    from claimable where sync_job_runs.id = claimable.id
    returning sync_job_runs.id`;
  return rows.map((row) => row.id);
}

/** Extends a held lease; false when it was lost. */
export async function renewJobLease(db: Db, runId: string, owner: string, leaseMs: number): Promise<boolean> {
  const updated = await db.$executeRaw`
    update sync_job_runs set lease_expires_at = now() + make_interval(secs => ${leaseMs / 1000}::double precision)
    where id = ${runId} and lease_owner = ${owner} and lease_expires_at > now()`;
  return updated === 1;
}

export async function releaseJobLease(db: Db, runId: string, owner: string): Promise<void> {
  await db.$executeRaw`update sync_job_runs set lease_owner = null, lease_expires_at = null where id = ${runId} and lease_owner = ${owner}`;
}

/**
 * Runs for the Inngest scheduler to dispatch: new ones, and ones whose function seems gone (active, no
 * write for ten minutes, not waiting for a later time). Under Inngest a run's function drives it to
 * its end, sleeping through pauses. The key is the event id: it stays the same while the same work is
 * due (Inngest drops an event whose id it saw in the last 24 hours).
 */
export async function dueJobRuns(db: Db, limit: number): Promise<{ id: string; dueKey: string }[]> {
  return db.$queryRaw`
    select r.id, r.id || ':' || to_char(r.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') as "dueKey"
    from sync_job_runs r
    where r.status = 'created'
       or (r.status in ('running', 'rate_limited') and r.updated_at < now() - interval '10 minutes'
           and (r.resume_at is null or r.resume_at < now() - interval '5 minutes'))
    order by r.created_at limit ${limit}`;
}
