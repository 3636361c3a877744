// Retention: removes what each organization's policy (lib/retention/policy.ts) no longer keeps, in
// small statements (lib/retention/batches.ts) under a time budget, so pruning never holds a lock long
// and a big backlog drains over several runs. The big tables (deliveries, events, tombstones) are
// walked along a time index, each statement from where the last stopped, with the plan held to that
// index's scan (batches.ts inIndexOrder): on statistics that did not yet know a big load, the planner
// otherwise sorted every candidate row before its LIMIT, every statement (300,000 events: 274 ms a
// statement of 1,000 rather than 7 ms). The small ones are deleted in whatever order a scan finds them. Run by the embedded worker every few minutes and by the
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
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";
import { budgetFor, drain, drainInOrder, type BatchBudget } from "./batches";

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
/** `and <column> >= <after>` when a walk has begun (rows kept at that time are read again, none skipped). */
const from = (column: Prisma.Sql, after: Date | null) => (after ? Prisma.sql`and ${column} >= ${after}` : Prisma.empty);
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
    // The big tables are walked along a time index (lib/retention/batches.ts drainInOrder): each
    // statement answers the latest time it deleted, and the next starts there.
    const walk = (kind: string, statement: (limit: number, after: Date | null) => Prisma.Sql) =>
      drainInOrder<Date>(kind, budget, db, statement, (row) => (row.last as Date | null) ?? null, report);

    // Deliveries first, endpoint by endpoint along (endpoint_id, created_at): an event goes once none
    // of its deliveries is left.
    steps.push(async () => {
      const endpoints = await db.webhookEndpoint.findMany({
        where: { organizationId: scope.organizationId, environment: scope.environment as EnvironmentKind },
        select: { id: true },
      });
      for (const endpoint of endpoints) {
        const drained = await walk(
          "deliveries",
          (limit, after) => Prisma.sql`
            with gone as (
              delete from deliveries where id in (
                select d.id from deliveries d
                where d.endpoint_id = ${endpoint.id} and d.created_at < ${events} ${from(Prisma.sql`d.created_at`, after)}
                  and d.status <> 'pending'
                order by d.created_at limit ${limit} for update of d skip locked)
              returning created_at)
            select count(*)::int as n, max(created_at) as last from gone`,
        );
        if (!drained) return false;
      }
      return true;
    });
    steps.push(
      () =>
        walk(
          "events",
          (limit, after) => Prisma.sql`
            with gone as (
              delete from events where id in (
                select e.id from events e
                where e.organization_id = ${scope.organizationId} and e.environment = ${env} and e.created_at < ${events}
                  ${from(Prisma.sql`e.created_at`, after)}
                  and e.fanned_out_at is not null
                  and not exists (select 1 from deliveries d where d.event_id = e.id)
                order by e.created_at limit ${limit} for update of e skip locked)
              returning created_at)
            select count(*)::int as n, max(created_at) as last from gone`,
        ),
      remove(
        "link_sessions",
        (limit) => Prisma.sql`
          delete from link_sessions where id in (
            select s.id from link_sessions s
            where s.organization_id = ${scope.organizationId} and s.environment = ${env} and s.created_at < ${events} and s.expires_at < ${now}
            limit ${limit} for update of s skip locked)`,
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
            limit ${limit} for update of r skip locked)`,
        50,
      ),
      remove(
        "sync_job_runs",
        (limit) => Prisma.sql`
          delete from sync_job_runs where id in (
            select r.id from sync_job_runs r join sync_jobs j on j.id = r.sync_job_id
            where j.organization_id = ${scope.organizationId} and j.environment = ${env} and r.created_at < ${runs}
              and r.status in ${sqlList(SYNC_JOB_RUN.final)} and coalesce(r.finished_at, r.created_at) < ${runs}
            limit ${limit} for update of r skip locked)`,
      ),
      remove(
        "writes",
        (limit) => Prisma.sql`
          delete from writes where id in (
            select w.id from writes w
            where w.organization_id = ${scope.organizationId} and w.environment = ${env} and w.finished_at < ${runs}
              and w.status in ${sqlList(ASYNC_WRITE.final)}
            limit ${limit} for update of w skip locked)`,
      ),
      () =>
        walk(
          "tombstones",
          (limit, after) => Prisma.sql`
            with gone as (
              delete from records where id in (
                select r.id from records r
                where r.deleted_at is not null and r.deleted_at < ${tombstones} ${from(Prisma.sql`r.deleted_at`, after)}
                  and r.organization_id = ${scope.organizationId} and r.environment = ${env}
                order by r.deleted_at limit ${limit} for update of r skip locked)
              returning deleted_at as created_at)
            select count(*)::int as n, max(created_at) as last from gone`,
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
            where k.expires_at < ${now} limit ${limit} for update skip locked)`,
      report,
    ),
  );

  for (const step of steps) {
    if (!(await step())) return report;
  }
  report.done = true;
  return report;
}
