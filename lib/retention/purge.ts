// Removing a deleted connection's data in the background. Deleting a connection (lib/sync/connections.ts)
// only marks it deleted, in one short transaction: syncing stops, its runs are cancelled, the API and
// the dashboard stop serving its data at once. Then whoever holds the connection's lease (the embedded
// worker's purge pump, or the Inngest `retention` function) removes, in statements of bounded size
// (lib/retention/batches.ts): its records (walked in the order of their unique index, so no statement
// re-reads what the last one deleted), payload dictionaries and record counts, its sync runs (with
// checkpoints and request logs), its writes, and its data events (a record's payload) unless a pending
// delivery still needs one; then it sets purged_at. Its lifecycle events (CONNECTION_DELETED, …) stay
// for the event log until retention takes them.
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { claim, release } from "@/lib/queue/lease";
import { budgetFor, drain, type BatchBudget } from "./batches";

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

interface Last {
  n: number;
  object: string | null;
  external_id: string | null;
}

/** Removes a deleted connection's data; the caller holds its lease. Refuses a connection not deleted. */
export async function purgeConnection(db: Db, connectionId: string, options: PurgeOptions = {}): Promise<PurgeReport> {
  const budget = await budgetFor(db, options.budgetMs ?? 60_000, options);
  const report: PurgeReport = { removed: {}, done: false };
  const connection = await db.connection.findUnique({ where: { id: connectionId }, select: { deletedAt: true, purgedAt: true } });
  if (!connection) return { ...report, done: true };
  if (!connection.deletedAt) throw new Error(`Connection ${connectionId} is not deleted: its data stays`);
  if (connection.purgedAt) return { ...report, done: true };

  // Records in (object, external_id) order from where the last statement stopped: the unique index
  // leads there directly, past the entries of rows already deleted that vacuum has not yet cleared.
  let after: { object: string; externalId: string } | null = null;
  const records = await drain(
    "records",
    budget,
    async (limit) => {
      const from: Prisma.Sql = after ? Prisma.sql`and (object, external_id) > (${after.object}, ${after.externalId})` : Prisma.empty;
      const [last] = await db.$queryRaw<Last[]>`
        with doomed as (
          select id from records where connection_id = ${connectionId} ${from}
          order by object, external_id limit ${limit}
        ), gone as (
          delete from records r using doomed where r.id = doomed.id returning r.object, r.external_id
        )
        select count(*)::int as n,
               (array_agg(object order by object desc, external_id desc))[1] as object,
               (array_agg(external_id order by object desc, external_id desc))[1] as external_id
        from gone`;
      if (last.object !== null && last.external_id !== null) after = { object: last.object, externalId: last.external_id };
      return last.n;
    },
    report,
  );
  if (!records) return report;

  const steps: [string, (limit: number) => Prisma.Sql, number?][] = [
    // Data events: a record's payload. One a pending delivery still needs stays for it.
    [
      "events",
      (limit) => Prisma.sql`
        delete from events where id in (
          select e.id from events e where e.connection_id = ${connectionId} and e.object is not null
            and not exists (select 1 from deliveries d where d.event_id = e.id and d.status = 'pending')
          order by e.created_at limit ${limit} for update of e skip locked)`,
    ],
    [
      "sync_runs",
      (limit) => Prisma.sql`
        delete from sync_runs where id in (
          select r.id from sync_runs r where r.connection_id = ${connectionId} order by r.created_at limit ${limit})`,
      50,
    ],
    ["writes", (limit) => Prisma.sql`delete from writes where id in (select w.id from writes w where w.connection_id = ${connectionId} limit ${limit})`],
  ];
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
