// A platform's daily request allowance (PlatformRateLimit.daily, e.g. Xero's 5,000 calls per tenant
// per rolling 24 hours), counted per connection in the database so that every process and every kind
// of work — sync runs, sync job runs, force-fetch reads — spends one count. The platform session
// (platform-session.ts) takes one request from it before each request it sends; a request that would
// exceed it is not sent but refused as a rate limit (limit "daily") that lasts until the window frees
// enough, which the runners turn into a pause.
//
// Window: rolling_24h counts requests in 5-minute buckets and a bucket frees 24 hours after it ends,
// so a request frees 24 h to 24 h 5 min after it was sent — never early (the platform would answer
// 429), and at most 5 minutes late: 0.3% of the window, for at most 289 rows a connection. utc_day
// keeps one bucket per UTC day.
//
// Reserve: background work (sync runs and sync job runs) stops at 98% of the allowance (4,900 of
// Xero's 5,000); the last 2% are left to interactive requests (force-fetch reads: a person or an API
// client is waiting), so that a day of syncing cannot lock the API's callers out of the platform.
import type { Db } from "@/lib/db/client";
import type { DailyAllowance } from "@/lib/platforms/definition";
import { ConnectorError } from "@/lib/platforms/types";
import { countedBucketsSql, lockQuotaSql, takeQuotaSql, type QuotaBuckets } from "./sql/daily-quota";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Share of a daily allowance kept for interactive requests. */
export const DAILY_RESERVE_SHARE = 0.02;

export function quotaBuckets(allowance: DailyAllowance): QuotaBuckets {
  return allowance.window === "rolling_24h" ? { bucketMs: 5 * MINUTE, spanMs: DAY } : { bucketMs: DAY, spanMs: 0 };
}

/** The most requests counted in the window that the work may still add to: all of them for interactive requests, less the reserve for the rest. */
export function quotaCap(allowance: DailyAllowance, interactive: boolean): number {
  return interactive ? allowance.requests : allowance.requests - Math.floor(allowance.requests * DAILY_RESERVE_SHARE);
}

export interface QuotaBucket {
  bucketStart: Date;
  used: number;
}

/**
 * When one more request fits under `cap`: the end of the window of the oldest buckets whose leaving
 * brings the count under it. `buckets` are those counted now, oldest first; null when one fits now.
 */
export function quotaFreesAt(buckets: readonly QuotaBucket[], cap: number, { bucketMs, spanMs }: QuotaBuckets): Date | null {
  let remaining = buckets.reduce((sum, bucket) => sum + bucket.used, 0);
  if (remaining < cap) return null;
  for (const bucket of buckets) {
    remaining -= bucket.used;
    if (remaining < cap) return new Date(bucket.bucketStart.getTime() + bucketMs + spanMs);
  }
  // cap is at least 1, so the loop always returns once every bucket has left.
  return new Date(buckets.at(-1)!.bucketStart.getTime() + bucketMs + spanMs);
}

export type QuotaTake = { granted: true; used: number } | { granted: false; used: number; resumeAt: Date };

/** Takes one request from the connection's allowance at `now`, or says when one will be free. */
export async function takeDailyRequest(
  db: Db,
  connectionId: string,
  allowance: DailyAllowance,
  options: { now: number; interactive: boolean },
): Promise<QuotaTake> {
  const buckets = quotaBuckets(allowance);
  const cap = quotaCap(allowance, options.interactive);
  const [, [row]] = await db.$transaction([
    db.$queryRaw(lockQuotaSql(connectionId)),
    db.$queryRaw<{ used: number; granted: boolean }[]>(takeQuotaSql(connectionId, buckets, cap, options.now)),
  ]);
  if (row.granted) return { granted: true, used: row.used };
  const state = await dailyQuotaState(db, connectionId, allowance, options);
  // Requests aged out between the two statements: free now, the next take gets it.
  return { granted: false, used: state.used, resumeAt: state.resumeAt ?? new Date(options.now) };
}

export interface QuotaState {
  /** Requests counted in the window now. */
  used: number;
  /** The most the work may have counted (the allowance, less the reserve for background work). */
  cap: number;
  /** When the next request fits, if none fits now. */
  resumeAt: Date | null;
}

/** The connection's count now, read without taking anything (the planner, status pages). */
export async function dailyQuotaState(
  db: Pick<Db, "$queryRaw">,
  connectionId: string,
  allowance: DailyAllowance,
  options: { now: number; interactive: boolean },
): Promise<QuotaState> {
  const buckets = quotaBuckets(allowance);
  const cap = quotaCap(allowance, options.interactive);
  const rows = await db.$queryRaw<QuotaBucket[]>(countedBucketsSql(connectionId, buckets, options.now));
  return { used: rows.reduce((sum, row) => sum + row.used, 0), cap, resumeAt: quotaFreesAt(rows, cap, buckets) };
}

/** "daily limit of 5,000 requests reached": what a paused run and the connection's status say. */
export function dailyLimitReason(allowance: DailyAllowance): string {
  return `daily limit of ${allowance.requests.toLocaleString("en-US")} requests reached`;
}

/** The refusal of a request over the allowance: a rate limit the runners pause on until `resumeAt`. */
export function dailyLimitError(allowance: DailyAllowance, resumeAt: Date, now: number): ConnectorError {
  const at = resumeAt.toISOString().replace("T", " ").slice(0, 16);
  return new ConnectorError("rate_limited", `${dailyLimitReason(allowance)}; resumes at ${at} UTC`, {
    retryAfterMs: Math.max(0, resumeAt.getTime() - now),
    limit: "daily",
  });
}
