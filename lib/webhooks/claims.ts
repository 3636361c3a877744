// Due deliveries for the embedded worker: pending, due, to an enabled endpoint, not leased, and next
// in their stream (streams.ts) — claimed with the lease of lib/queue/lease.ts, a short one, so two
// workers never send the same attempt and a dead worker's claims come back. attemptDelivery clears
// the lease with the attempt's outcome.
import { rawQuery, type Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { claimSql } from "@/lib/queue/lease";
import { loadDeliveriesSql, type LoadedDelivery } from "./deliver";

/** One endpoint's stream of deliveries (streams.ts). */
export interface StreamKey {
  endpointId: string;
  stream: string;
}

/**
 * Ids of the deliveries that may be sent now, at most `perStream` of each stream (every stream, or
 * only the one given). A stream's pending deliveries are sent in sequence order: the first one that holds the stream (not yet
 * failed, or failing for less than the endpoint's ordering_wait_seconds) may go, and so may the ones
 * before it whose wait is over (they retry on their own schedule); the ones after it wait. An
 * endpoint whose wait is 0 holds nothing.
 *
 * The streams with pending deliveries are walked by a loose index scan of the partial index on
 * pending (endpoint_id, stream, sequence), so a stream's backlog costs one index descent, not a
 * read of every row waiting behind its head.
 */
export function sendableDeliveriesSql(perStream: number, only?: StreamKey): Prisma.Sql {
  const streams = only
    ? Prisma.sql`select ${only.endpointId}::text as endpoint_id, ${only.stream}::text as stream`
    : Prisma.sql`
      (select endpoint_id, stream from deliveries where status = 'pending' order by endpoint_id, stream limit 1)
      union all
      select next.endpoint_id, next.stream from streams s cross join lateral (
        select d.endpoint_id, d.stream from deliveries d
        where d.status = 'pending' and (d.endpoint_id, d.stream) > (s.endpoint_id, s.stream)
        order by d.endpoint_id, d.stream limit 1
      ) next`;
  return Prisma.sql`
    with recursive streams as (${streams})
    select c.id from streams s
    join webhook_endpoints e on e.id = s.endpoint_id and e.enabled
    cross join lateral (
      select coalesce((
        select h.sequence from deliveries h
        where h.endpoint_id = s.endpoint_id and h.stream = s.stream and h.status = 'pending' and e.ordering_wait_seconds > 0
          and (h.failing_since is null or h.failing_since > now() - make_interval(secs => e.ordering_wait_seconds))
        order by h.sequence limit 1
      ), 2147483647) as through
    ) held
    cross join lateral (
      select d.id from deliveries d
      where d.endpoint_id = s.endpoint_id and d.stream = s.stream and d.status = 'pending' and d.sequence <= held.through
        and d.next_attempt_at <= now() and (d.lease_expires_at is null or d.lease_expires_at < now())
      order by d.sequence limit ${perStream}
    ) c`;
}

/**
 * The sendable ids themselves, read first: a statement that used them as `id in (…)` was planned,
 * with the table's statistics stale after a backlog was fanned out (20,000 pending rows estimated
 * at 10), as a loop over every pending row for each id — 116 ms a claim instead of 3. Looked up
 * as an array of primary keys, they are always found by the index.
 */
export async function sendableDeliveryIds(db: Db, perStream: number, only?: StreamKey): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>(sendableDeliveriesSql(perStream, only));
  return rows.map((row) => row.id);
}

/**
 * Leases up to `limit` sendable deliveries to `owner` for `leaseMs` (lib/queue/lease.ts), oldest due
 * first, and loads each with its endpoint and event in the same statement, ready to attempt.
 */
export async function claimDueDeliveries(db: Db, input: { owner: string; limit: number; leaseMs: number }): Promise<LoadedDelivery[]> {
  if (input.limit <= 0) return [];
  const sendable = await sendableDeliveryIds(db, input.limit);
  if (sendable.length === 0) return [];
  const due = Prisma.sql`d.id = any(${sendable}::text[]) and d.status = 'pending' and d.next_attempt_at <= now()`;
  const statement = claimSql("deliveries", { ...input, due, order: Prisma.sql`d.next_attempt_at` }, loadDeliveriesSql(Prisma.sql`claimed`, Prisma.sql`true`));
  return (await rawQuery<LoadedDelivery>(db, statement)).rows;
}
