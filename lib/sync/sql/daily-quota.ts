// The statements behind the daily request allowance (lib/sync/quota.ts): platform_quota_usage holds,
// per connection, the requests sent in each time bucket (5 minutes of a rolling 24-hour window, or the
// UTC day). A bucket counts until the last request it may hold has left the window: `bucket_start >
// now - bucket - span`.
//
// Taking a request is two statements in one transaction: a per-connection advisory lock, then one
// statement that prunes the buckets that left the window, sums the rest and adds the request to its
// bucket only if the sum is under the cap. The lock is what makes it exact across processes: under
// READ COMMITTED a statement sees what was committed when it began, so two statements that summed at
// the same time would both pass the last free request; behind the lock, each sees the previous
// holder's increment (an advisory xact lock is released at commit). Without it, on PostgreSQL 15,
// 10 takes at once from two pools with 2 requests left were all granted (quota.test.ts). The lock is taken per request,
// held for one statement, and never while anything else is locked, so it cannot be part of a deadlock.
// A rolling window holds at most 289 buckets a connection; at Xero's 60 requests a minute the sum reads
// at most that many rows of the primary key's index once a second.
import { Prisma } from "@/lib/generated/prisma/client";

export interface QuotaBuckets {
  /** Bucket length in ms. */
  bucketMs: number;
  /** How long after its bucket ends a request still counts (24 hours rolling, 0 for the UTC day). */
  spanMs: number;
}

/** Serializes takes of one connection's allowance until the transaction ends. */
export function lockQuotaSql(connectionId: string): Prisma.Sql {
  return Prisma.sql`select 1 as locked from pg_advisory_xact_lock(hashtext('platform_quota_usage'), hashtext(${connectionId}))`;
}

/** Adds one request at `now` unless `cap` requests are counted already; returns the count after and whether it was added. */
export function takeQuotaSql(connectionId: string, { bucketMs, spanMs }: QuotaBuckets, cap: number, now: number): Prisma.Sql {
  const bucket = new Date(Math.floor(now / bucketMs) * bucketMs);
  const oldestCounted = new Date(now - bucketMs - spanMs);
  return Prisma.sql`
    with pruned as (
      delete from platform_quota_usage where connection_id = ${connectionId} and bucket_start <= ${oldestCounted}
    ), usage as (
      select coalesce(sum(used), 0)::int as used from platform_quota_usage where connection_id = ${connectionId} and bucket_start > ${oldestCounted}
    ), granted as (
      insert into platform_quota_usage as q (connection_id, bucket_start, used)
      select ${connectionId}, ${bucket}, 1 from usage where usage.used < ${cap}
      on conflict (connection_id, bucket_start) do update set used = q.used + 1
      returning 1
    )
    select (select used from usage) + (select count(*) from granted)::int as used, exists (select 1 from granted) as granted`;
}

/** The buckets that count at `now`, oldest first. */
export function countedBucketsSql(connectionId: string, { bucketMs, spanMs }: QuotaBuckets, now: number): Prisma.Sql {
  return Prisma.sql`
    select bucket_start as "bucketStart", used from platform_quota_usage
    where connection_id = ${connectionId} and bucket_start > ${new Date(now - bucketMs - spanMs)}
    order by bucket_start`;
}
