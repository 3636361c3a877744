// Which sync job runs have work now: for the embedded worker's leases on them and Inngest's
// scheduler. A run is due when it was just created, is running with no live lease (its worker died,
// or it waits for its receiver and the wait is over) or is rate-limited past its resume time. Claims
// are the lease of lib/queue/lease.ts, as for connections: two workers never drive one run, and a
// dead worker's run is taken over once its lease expires.
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { claim } from "@/lib/queue/lease";
import { SYNC_JOB_RUN, sqlList } from "@/lib/lifecycles";

/** Leases up to `limit` due runs whose lease is free to `owner`, for `leaseMs` (lib/queue/lease.ts). */
export async function claimDueJobRuns(db: Db, input: { owner: string; limit: number; leaseMs: number }): Promise<string[]> {
  return claim(db, "sync_job_runs", {
    ...input,
    due: Prisma.sql`r.status in ${sqlList(SYNC_JOB_RUN.active)} and (r.resume_at is null or r.resume_at <= now())`,
    order: Prisma.sql`r.created_at`,
  });
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
    where r.status = 'queued'
       or (r.status in ('running', 'rate_limited') and r.updated_at < now() - interval '10 minutes'
           and (r.resume_at is null or r.resume_at < now() - interval '5 minutes'))
    order by r.created_at limit ${limit}`;
}
