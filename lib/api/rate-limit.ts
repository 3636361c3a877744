// The public API's own rate limit (DESIGN.md section 6): a token bucket per organization and
// environment, refilled at `requestsPerSecond` up to `burst` tokens; each request takes one. Over the
// limit the API answers 429 RATE_LIMIT_EXCEEDED with `Retry-After`, and every authenticated answer
// carries `X-RateLimit-Limit` (the bucket's size) and `X-RateLimit-Remaining` (whole tokens left).
//
// The buckets live in the database (lib/db/shared-bucket.ts), so every server process behind a load
// balancer spends the same one: an organization gets the limit in total, however many processes serve
// it. A request's take is one statement on the pool (bench:limits measures it). If the database cannot
// count, each process counts alone until it can again (with a log line), so the API stays up and still
// limited per process.
import { ConfigError } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { memoryBuckets, sharedBuckets, type BucketShape, type Buckets } from "@/lib/db/shared-bucket";
import { ApiError } from "./errors";

export interface RateLimitConfig {
  requestsPerSecond: number;
  burst: number;
}

export const DEFAULT_API_RATE_LIMIT = 100;

export interface RateLimitDecision {
  allowed: boolean;
  /** The bucket's size: what a client may send at once after a quiet while. */
  limit: number;
  /** Whole tokens left after this request. */
  remaining: number;
  /** When refused: whole seconds (at least 1) until a token is back. */
  retryAfterSeconds: number;
}

export class ApiRateLimiter {
  private readonly shape: BucketShape;
  private readonly buckets: Buckets | "shared";

  /**
   * `buckets`: where the levels live. A clock (tests) or nothing keeps them in this process; "shared"
   * keeps them in the database each request is served from, shared by every process on it.
   */
  constructor(
    readonly config: RateLimitConfig,
    buckets: Buckets | "shared" | (() => number) = Date.now,
  ) {
    this.shape = { perSecond: config.requestsPerSecond, capacity: config.burst };
    this.buckets = typeof buckets === "function" ? memoryBuckets(buckets) : buckets;
  }

  /** Takes one token from `key`'s bucket if it has one (in `db`'s table when the limiter is shared). */
  async take(key: string, db?: Db): Promise<RateLimitDecision> {
    const buckets = this.buckets === "shared" ? sharedBuckets(db ?? missingDb()) : this.buckets;
    const { granted, level, waitMs } = await buckets.take(`api:${key}`, this.shape);
    const limit = this.config.burst;
    if (granted) return { allowed: true, limit, remaining: Math.max(0, Math.floor(level)), retryAfterSeconds: 0 };
    return { allowed: false, limit, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
}

function missingDb(): never {
  throw new Error("A shared rate limiter takes from a database: pass the request's");
}

/** TRIBUTARY_API_RATE_LIMIT=<requests per second> (default 100); the burst is twice that. */
export function parseApiRateLimit(value: string | undefined): RateLimitConfig {
  const raw = value?.trim();
  const requestsPerSecond = raw ? Number(raw) : DEFAULT_API_RATE_LIMIT;
  if (!Number.isFinite(requestsPerSecond) || requestsPerSecond <= 0) {
    throw new ConfigError(`TRIBUTARY_API_RATE_LIMIT must be a number of requests per second above 0 (e.g. 100), got "${value}"`);
  }
  return { requestsPerSecond, burst: Math.max(1, Math.floor(2 * requestsPerSecond)) };
}

// The process's limiter (its buckets are in the database), surviving Next.js dev reloads like the engine.
const holder = globalThis as unknown as { tributaryApiRateLimiter?: ApiRateLimiter };

export function getApiRateLimiter(): ApiRateLimiter {
  holder.tributaryApiRateLimiter ??= new ApiRateLimiter(parseApiRateLimit(process.env.TRIBUTARY_API_RATE_LIMIT), "shared");
  return holder.tributaryApiRateLimiter;
}

/** Replaces the process's limiter (tests: a fake clock, a small limit); `null` goes back to the environment's. */
export function provideApiRateLimiter(limiter: ApiRateLimiter | null): void {
  holder.tributaryApiRateLimiter = limiter ?? undefined;
}

export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = { "X-RateLimit-Limit": String(decision.limit), "X-RateLimit-Remaining": String(decision.remaining) };
  if (!decision.allowed) headers["Retry-After"] = String(decision.retryAfterSeconds);
  return headers;
}

export function rateLimited(config: RateLimitConfig, decision: RateLimitDecision): ApiError {
  const message = `Too many requests for this organization and environment: at most ${config.requestsPerSecond} per second (bursts of ${config.burst}); retry in ${decision.retryAfterSeconds} s`;
  return new ApiError("RATE_LIMIT_EXCEEDED", message);
}
