// The public API's own rate limit (DESIGN.md section 6): a token bucket per organization and
// environment, refilled at `requestsPerSecond` up to `burst` tokens; each request takes one. Over the
// limit the API answers 429 RATE_LIMIT_EXCEEDED with `Retry-After`, and every authenticated answer
// carries `X-RateLimit-Limit` (the bucket's size) and `X-RateLimit-Remaining` (whole tokens left).
//
// The buckets live in this process. Each Next.js server process keeps its own, so N processes behind
// a load balancer let an organization through at up to N times the limit. That is the price of not
// touching the database (or a Redis the project does not otherwise need) on every request; the
// limit protects the process and the database from one organization's runaway loop, which a per
// process bucket does.
import { ConfigError } from "@/lib/config";
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

interface Bucket {
  tokens: number;
  updatedAt: number;
}

// Buckets of organizations that went quiet are full again and carry no information: past this many
// buckets the full ones are dropped, so memory follows the organizations active at once.
const PRUNE_ABOVE = 10_000;

export class ApiRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly config: RateLimitConfig,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Takes one token from `key`'s bucket if it has one. */
  take(key: string): RateLimitDecision {
    const now = this.clock();
    const { requestsPerSecond, burst } = this.config;
    const bucket = this.refill(this.buckets.get(key) ?? { tokens: burst, updatedAt: now }, now);
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, limit: burst, remaining: Math.floor(bucket.tokens), retryAfterSeconds: 0 };
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / requestsPerSecond));
    if (this.buckets.size > PRUNE_ABOVE) this.prune(now);
    return { allowed: false, limit: burst, remaining: 0, retryAfterSeconds };
  }

  private refill(bucket: Bucket, now: number): Bucket {
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
    return { tokens: Math.min(this.config.burst, bucket.tokens + elapsedSeconds * this.config.requestsPerSecond), updatedAt: now };
  }

  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) if (this.refill(bucket, now).tokens >= this.config.burst) this.buckets.delete(key);
  }
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

// One limiter per process, surviving Next.js dev reloads like the engine.
const holder = globalThis as unknown as { tributaryApiRateLimiter?: ApiRateLimiter };

export function getApiRateLimiter(): ApiRateLimiter {
  holder.tributaryApiRateLimiter ??= new ApiRateLimiter(parseApiRateLimit(process.env.TRIBUTARY_API_RATE_LIMIT));
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
