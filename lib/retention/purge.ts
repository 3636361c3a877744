// Removing a deleted connection's data in the background. Deleting a connection (lib/sync/connections.ts)
// only marks it deleted, in one short transaction: syncing stops, its runs are cancelled, the API and
// the dashboard stop serving its data at once. Then whoever holds the connection's lease (the embedded
// worker's purge pump, or the Inngest `retention` function) removes, in statements of bounded size
// (lib/retention/batches.ts): its records, payload dictionaries and record counts, its sync runs (with
// checkpoints and request logs), its writes, and its data events (a record's payload) unless a pending
// delivery still needs one; then it sets purged_at. Its lifecycle events (CONNECTION_DELETED, …) stay
// for the event log until retention takes them.
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { claim, release } from "@/lib/queue/lease";
import { budgetFor, drain, drainInOrder, type BatchBudget } from "./batches";

const PURGE_DUE = Prisma.sql`c.deleted_at is not null and c.purged_at is null`;

/** Leases up to `limit` deleted connections whose data is still to be removed, oldest deletion first. */
export function claimDeletedConnections(db: Db, input: { owner: string; limit: number; leaseMs: number }): Promise<string[]> {
  return claim(db, "connections", { ...input, due: PURGE_DUE, order: Prisma.sql`c.deleted_at` });
}

export interface PurgeOptions extends Omit<BatchBudget, "deadline"> {
  /** Milliseconds this call may spend (default 60 s); a connection not done is claimed again later. */
  budgetMs?: number;
}

export interface PurgeReport {
  removed: Record<string, number>;
  /** True once everything is gone and purged_at is set. */
  done: boolean;
}

/** Removes a deleted connection's data; the caller holds its lease. Refuses a connection not deleted. */
export async function purgeConnection(db: Db, connectionId: string, options: PurgeOptions = {}): Promise<PurgeReport> {
  const budget = await budgetFor(db, options.budgetMs ?? 60_000, options);
  const report: PurgeReport = { removed: {}, done: false };
  const connection = await db.connection.findUnique({ where: { id: connectionId }, select: { deletedAt: true, purgedAt: true } });
  if (!connection) return { ...report, done: true };
  if (!connection.deletedAt) throw new Error(`Connection ${connectionId} is not deleted: its data stays`);
  if (connection.purgedAt) return { ...report, done: true };

  // Records along their unique index (connection_id, object, external_id), each statement from the
  // key the last one stopped at (batches.ts drainInOrder): none re-reads the entries of rows already
  // deleted, which vacuum has not cleared yet (without it, 1,000,000 records took 5,641 statements
  // that grew slower as the dead entries piled up).
  const records = await drainInOrder<{ object: string; externalId: string }>(
    "records",
    budget,
    db,
    (limit, after) => Prisma.sql`
      with doomed as (
        select id from records
        where connection_id = ${connectionId} ${after ? Prisma.sql`and (object, external_id) > (${after.object}, ${after.externalId})` : Prisma.empty}
        order by object, external_id limit ${limit}
      ), gone as (
        delete from records r using doomed where r.id = doomed.id returning r.object, r.external_id
      )
      select count(*)::int as n,
             (array_agg(object order by object desc, external_id desc))[1] as object,
             (array_agg(external_id order by object desc, external_id desc))[1] as external_id
      from gone`,
    (row) => (row.object == null ? null : { object: String(row.object), externalId: String(row.external_id) }),
    report,
  );
  if (!records) return report;

  const steps: [string, (limit: number) => Prisma.Sql, number?][] = [
    [
      "sync_runs",
      (limit) => Prisma.sql`
        delete from sync_runs where id in (
          select r.id from sync_runs r where r.connection_id = ${connectionId} limit ${limit})`,
      50,
    ],
    ["writes", (limit) => Prisma.sql`delete from writes where id in (select w.id from writes w where w.connection_id = ${connectionId} limit ${limit})`],
  ];
  // Data events (a record's payload) along (connection_id, created_at); one a pending delivery still needs stays for it.
  const events = await drainInOrder<Date>(
    "events",
    budget,
    db,
    (limit, after) => Prisma.sql`
      with gone as (
        delete from events where id in (
          select e.id from events e
          where e.connection_id = ${connectionId} ${after ? Prisma.sql`and e.created_at >= ${after}` : Prisma.empty} and e.object is not null
            and not exists (select 1 from deliveries d where d.event_id = e.id and d.status = 'pending')
          order by e.created_at limit ${limit} for update of e skip locked)
        returning created_at)
      select count(*)::int as n, max(created_at) as last from gone`,
    (row) => (row.last as Date | null) ?? null,
    report,
  );
  if (!events) return report;

  for (const [kind, statement, start] of steps) {
    if (!(await drain(kind, budget, (limit) => db.$executeRaw(statement(limit)), report, start))) return report;
  }

  await db.$transaction([
    db.payloadDictionary.deleteMany({ where: { connectionId } }),
    db.recordCount.deleteMany({ where: { connectionId } }),
    db.connection.update({ where: { id: connectionId }, data: { purgedAt: new Date() } }),
  ]);
  report.done = true;
  return report;
}

/**
 * Purges deleted connections one after another under `owner`'s leases until none is left or the
 * budget ends (the Inngest `retention` function's step; the worker runs purgeConnection per claim).
 */
export async function purgeDeletedConnections(
  db: Db,
  input: { owner: string; leaseMs: number } & PurgeOptions,
): Promise<{ purged: string[]; done: boolean; removed: Record<string, number> }> {
  const deadline = Date.now() + (input.budgetMs ?? 60_000);
  const purged: string[] = [];
  const removed: Record<string, number> = {};
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0 || input.shouldYield?.()) return { purged, done: false, removed };
    const [connectionId] = await claimDeletedConnections(db, { owner: input.owner, limit: 1, leaseMs: input.leaseMs });
    if (!connectionId) return { purged, done: true, removed };
    try {
      const report = await purgeConnection(db, connectionId, { ...input, budgetMs: left });
      for (const [kind, rows] of Object.entries(report.removed)) removed[kind] = (removed[kind] ?? 0) + rows;
      if (report.done) purged.push(connectionId);
    } finally {
      await release(db, "connections", connectionId, input.owner);
    }
  }
}
