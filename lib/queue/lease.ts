// The one lease over rows of work: connections (a sync), sync job runs, webhook deliveries and
// asynchronous writes each carry `lease_owner` and `lease_expires_at`, and every claim, renewal,
// release, fence and hold of them is one of the statements below.
//   - claim: due rows whose lease is free, `FOR UPDATE SKIP LOCKED`, leased in the same statement, so
//     two processes never claim one row and a dead holder's rows come back when its lease expires;
//   - renew and release: only by the holder, and a renewal fails once the lease was lost;
//   - fence: a write joins `leaseHeldSql` in its transaction and goes ahead only while its process
//     still holds the lease (locked `FOR SHARE` until commit, so the lease cannot change under it);
//   - hold and take over: a lease under an explicit name until an explicit time (an Inngest delivery
//     chain sleeping until its next attempt), handed from one name to another in one statement that
//     fails if the row was taken meanwhile.
// What is due is each queue's own business (lib/sync/due.ts, lib/jobs/claims.ts, lib/webhooks/claims.ts).
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";

/** The tables with leases, each with the alias a queue's due condition is written against. */
export const LEASED = {
  connections: { table: Prisma.raw("connections"), alias: Prisma.raw("c") },
  sync_job_runs: { table: Prisma.raw("sync_job_runs"), alias: Prisma.raw("r") },
  deliveries: { table: Prisma.raw("deliveries"), alias: Prisma.raw("d") },
  writes: { table: Prisma.raw("writes"), alias: Prisma.raw("w") },
} as const;

export type LeasedTable = keyof typeof LEASED;

const interval = (ms: number) => Prisma.sql`make_interval(secs => ${ms / 1000}::double precision)`;

export interface ClaimInput {
  owner: string;
  limit: number;
  leaseMs: number;
  /** Which rows are due, against the table's alias (LEASED); the lease being free is added here. */
  due: Prisma.Sql;
  /** The order due rows are taken in, against the same alias. */
  order: Prisma.Sql;
}

/**
 * The claim as one statement: leases up to `limit` due rows to `owner` for `leaseMs`. Its result is
 * `load`'s, a SELECT over the leased rows as `claimed` (every column), so a queue can read what it
 * claimed, joined to what it needs, in the same statement; by default their ids.
 */
export function claimSql(on: LeasedTable, input: ClaimInput, load: Prisma.Sql = Prisma.sql`select id from claimed`): Prisma.Sql {
  const { table, alias } = LEASED[on];
  return Prisma.sql`
    with due as (
      select ${alias}.id from ${table} ${alias}
      where (${input.due}) and (${alias}.lease_expires_at is null or ${alias}.lease_expires_at < now())
      order by ${input.order}
      limit ${input.limit}
      for update of ${alias} skip locked
    ), claimed as (
      update ${table} set lease_owner = ${input.owner}, lease_expires_at = now() + ${interval(input.leaseMs)}
      from due where ${table}.id = due.id
      returning ${table}.*
    )
    ${load}`;
}

/** Leases up to `limit` due rows to `owner` for `leaseMs`; the ids it leased. */
export async function claim(db: Db, on: LeasedTable, input: ClaimInput): Promise<string[]> {
  if (input.limit <= 0) return [];
  const rows = await db.$queryRaw<{ id: string }[]>(claimSql(on, input));
  return rows.map((row) => row.id);
}

/** Extends a held lease; false when it was lost (expired and claimed by another process). */
export async function renew(db: Db, on: LeasedTable, id: string, owner: string, leaseMs: number): Promise<boolean> {
  const { table } = LEASED[on];
  const updated = await db.$executeRaw`
    update ${table} set lease_expires_at = now() + ${interval(leaseMs)}
    where id = ${id} and lease_owner = ${owner} and lease_expires_at > now()`;
  return updated === 1;
}

export async function release(db: Db, on: LeasedTable, id: string, owner: string): Promise<void> {
  const { table } = LEASED[on];
  await db.$executeRaw`update ${table} set ${FREE_LEASE_SQL} where id = ${id} and lease_owner = ${owner}`;
}

/** A free lease, for a write that ends a row's work in the statement that records its outcome (Prisma `data`). */
export const FREE_LEASE = { leaseOwner: null, leaseExpiresAt: null } as const;
/** The same in SQL, for an UPDATE's SET list. */
export const FREE_LEASE_SQL = Prisma.sql`lease_owner = null, lease_expires_at = null`;

/** The condition "`owner` holds this row's lease now", against the table's alias, for a fenced write's WHERE. */
export function heldBy(on: LeasedTable, owner: string): Prisma.Sql {
  const { alias } = LEASED[on];
  return Prisma.sql`${alias}.lease_owner = ${owner} and ${alias}.lease_expires_at > now()`;
}

/** One row when `owner` holds the row's lease now, locked so the lease cannot change until the transaction commits. */
export function leaseHeldSql(on: LeasedTable, id: string, owner: string): Prisma.Sql {
  const { table, alias } = LEASED[on];
  return Prisma.sql`select 1 as held from ${table} ${alias} where ${alias}.id = ${id} and ${heldBy(on, owner)} for share of ${alias}`;
}

/** Leases one row to `owner` for `leaseMs` if it is due (`due`, against the alias) and its lease is free. */
export async function claimOne(db: Db, on: LeasedTable, id: string, input: { owner: string; leaseMs: number; due: Prisma.Sql }): Promise<boolean> {
  const { table, alias } = LEASED[on];
  const updated = await db.$executeRaw`
    update ${table} ${alias} set lease_owner = ${input.owner}, lease_expires_at = now() + ${interval(input.leaseMs)}
    where ${alias}.id = ${id} and (${input.due}) and (${alias}.lease_expires_at is null or ${alias}.lease_expires_at < now())`;
  return updated === 1;
}

/** Holds a row under `owner` until `until`, whoever held it (the caller has just claimed or been handed it). */
export async function hold(db: Db, on: LeasedTable, id: string, owner: string, until: Date): Promise<void> {
  const { table } = LEASED[on];
  await db.$executeRaw`update ${table} set lease_owner = ${owner}, lease_expires_at = ${until}, updated_at = now() where id = ${id}`;
}

/** Hands a hold from `from` to `to` until `until`; false when `from` no longer holds it. */
export async function handOver(db: Db, on: LeasedTable, id: string, input: { from: string; to: string; until: Date }): Promise<boolean> {
  const { table } = LEASED[on];
  const updated = await db.$executeRaw`
    update ${table} set lease_owner = ${input.to}, lease_expires_at = ${input.until}
    where id = ${id} and lease_owner = ${input.from}`;
  return updated === 1;
}
