// Retention: removes what each organization's policy (lib/retention/policy.ts) no longer keeps, in
// small statements (lib/retention/batches.ts) under a time budget, so pruning never holds a lock long
// and a big backlog drains over several runs. Run by the embedded worker every few minutes and by the
// Inngest `retention` function. What goes, per organization:
//   - deliveries created before the event window, unless pending (their attempts go with them);
//   - events created before the event window, once fanned out and with no delivery left: an event a
//     delivery still needs (pending, or within the window after a replay) stays with it;
//   - link sessions created before the event window, once expired;
//   - sync runs, sync job runs and writes that finished before the run window (checkpoints and request
//     logs go with their run); each connection keeps its latest sync run. The hourly rollups stay;
//   - records deleted on their platform before the tombstone window;
// and, for everyone, idempotency keys past their expiry.
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { SYNC_JOB_RUN, SYNC_RUN, ASYNC_WRITE, sqlList } from "@/lib/lifecycles";
import { budgetFor, drain, type BatchBudget } from "./batches";

export interface PruneOptions extends Omit<BatchBudget, "deadline"> {
  now?: Date;
  /** Milliseconds this run may spend (default 30 s); what is left waits for the next run. */
  budgetMs?: number;
}

export interface PruneReport {
  /** Rows deleted by kind (not counting the cascades: attempts, checkpoints, request logs). */
  removed: Record<string, number>;
  /** False when the budget ended first: the next run goes on. */
  done: boolean;
}

interface Scope {
  organizationId: string;
  environment: string;
  eventDays: number;
  runDays: number;
  tombstoneDays: number;
}

const DAY_MS = 86_400_000;
const before = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

export async function pruneHistory(db: Db, options: PruneOptions = {}): Promise<PruneReport> {
  const now = options.now ?? new Date();
  const budget = await budgetFor(db, options.budgetMs ?? 30_000, options);
  const report: PruneReport = { removed: {}, done: false };
  const scopes = await db.$queryRaw<Scope[]>`
    select e.organization_id as "organizationId", e.kind::text as environment, o.event_retention_days as "eventDays",
           o.run_retention_days as "runDays", o.tombstone_retention_days as "tombstoneDays"
    from environments e join organizations o on o.id = e.organization_id
    order by e.organization_id, e.kind`;

  const steps: (() => Promise<boolean>)[] = [];
  for (const scope of scopes) {
    const env = Prisma.sql`${scope.environment}::"EnvironmentKind"`;
    const events = before(now, scope.eventDays);
    const runs = before(now, scope.runDays);
    const tombstones = before(now, scope.tombstoneDays);
    const remove = (kind: string, statement: (limit: number) => Prisma.Sql, start?: number) => () =>
      drain(kind, budget, (limit) => db.$executeRaw(statement(limit)), report, start);

    // Deliveries first: an event goes once none of its deliveries is left.
    steps.push(
      remove(
        "deliveries",
        (limit) => Prisma.sql`
          delete from deliveries where id in (
            select d.id from deliveries d join webhook_endpoints w on w.id = d.endpoint_id
            where w.organization_id = ${scope.organizationId} and w.environment = ${env}
              and d.created_at < ${events} and d.status <> 'pending'
            order by d.created_at limit ${limit} for update of d skip locked)`,
      ),
      remove(
        "events",
        (limit) => Prisma.sql`
          delete from events where id in (
            select e.id from events e
            where e.organization_id = ${scope.organizationId} and e.environment = ${env} and e.created_at < ${events}
              and e.fanned_out_at is not null
              and not exists (select 1 from deliveries d where d.event_id = e.id)
            order by e.created_at limit ${limit} for update of e skip locked)`,
      ),
      remove(
        "link_sessions",
        (limit) => Prisma.sql`
          delete from link_sessions where id in (
            select s.id from link_sessions s
            where s.organization_id = ${scope.organizationId} and s.environment = ${env} and s.created_at < ${events} and s.expires_at < ${now}
            order by s.created_at limit ${limit} for update of s skip locked)`,
      ),
      // A run brings its checkpoints and request log with it: fewer rows a statement to start with.
      remove(
        "sync_runs",
        (limit) => Prisma.sql`
          delete from sync_runs where id in (
            select r.id from sync_runs r
            where r.organization_id = ${scope.organizationId} and r.environment = ${env} and r.created_at < ${runs}
              and r.status in ${sqlList(SYNC_RUN.final)} and coalesce(r.finished_at, r.created_at) < ${runs}
              and r.id <> (select l.id from sync_runs l where l.connection_id = r.connection_id order by l.created_at desc limit 1)
            order by r.created_at limit ${limit} for update of r skip locked)`,
        50,
      ),
      remove(
        "sync_job_runs",
        (limit) => Prisma.sql`
          delete from sync_job_runs where id in (
            select r.id from sync_job_runs r join sync_jobs j on j.id = r.sync_job_id
            where j.organization_id = ${scope.organizationId} and j.environment = ${env} and r.created_at < ${runs}
              and r.status in ${sqlList(SYNC_JOB_RUN.final)} and coalesce(r.finished_at, r.created_at) < ${runs}
            order by r.created_at limit ${limit} for update of r skip locked)`,
      ),
      remove(
        "writes",
        (limit) => Prisma.sql`
          delete from writes where id in (
            select w.id from writes w
            where w.organization_id = ${scope.organizationId} and w.environment = ${env} and w.finished_at < ${runs}
              and w.status in ${sqlList(ASYNC_WRITE.final)}
            order by w.finished_at limit ${limit} for update of w skip locked)`,
      ),
      remove(
        "tombstones",
        (limit) => Prisma.sql`
          delete from records where id in (
            select r.id from records r
            where r.deleted_at is not null and r.deleted_at < ${tombstones}
              and r.organization_id = ${scope.organizationId} and r.environment = ${env}
            order by r.deleted_at limit ${limit} for update of r skip locked)`,
      ),
    );
  }
  steps.push(() =>
    drain(
      "idempotency_keys",
      budget,
      (limit) =>
        db.$executeRaw`
          delete from api_idempotency_keys where (organization_id, environment, key) in (
            select k.organization_id, k.environment, k.key from api_idempotency_keys k
            where k.expires_at < ${now} order by k.expires_at limit ${limit} for update skip locked)`,
      report,
    ),
  );

  for (const step of steps) {
    if (!(await step())) return report;
  }
  report.done = true;
  return report;
}
