// Rate limits as the real platforms apply them, per account, with an injectable clock.

export interface LimitDecision {
  allowed: boolean;
  /** Seconds to wait before the next request can pass (0 when allowed). */
  retryAfterSeconds: number;
  /** Headers the platform sends with every answer. */
  headers: Record<string, string>;
  /** The endpoint limit that refused the request (EndpointLimits); absent for the account's own limit. */
  limit?: string;
}

export interface RateLimiter {
  /** `path` is the API path below the account, for limits that apply to some endpoints only. */
  take(now: number, path?: string): LimitDecision;
  /** Called once the answer to an allowed request is written (or its connection closed): concurrency limits free the slot. */
  release?(now: number): void;
}

/**
 * Shopify's leaky bucket: each request adds to the bucket, which leaks `leakPerSecond`; a request that
 * would overflow `capacity` is refused. The REST Admin API adds one per request and reports
 * X-Shopify-Shop-Api-Call-Limit "used/capacity"; the GraphQL Admin API adds a query's requested cost
 * (`fill`), gives back what the query did not use (`drain`), and reports the room left (`available`).
 */
export class LeakyBucket implements RateLimiter {
  private level = 0;
  private last: number | null = null;

  constructor(
    readonly capacity = 40,
    readonly leakPerSecond = 2,
  ) {}

  take(now: number): LimitDecision {
    const decision = this.fill(now, 1);
    return { ...decision, headers: this.header() };
  }

  /** Adds `amount` when it fits; otherwise refuses, saying how long until it would. */
  fill(now: number, amount: number): { allowed: boolean; retryAfterSeconds: number } {
    this.leak(now);
    if (this.level + amount > this.capacity) return { allowed: false, retryAfterSeconds: (this.level + amount - this.capacity) / this.leakPerSecond };
    this.level += amount;
    return { allowed: true, retryAfterSeconds: 0 };
  }

  /** Takes `amount` back out (a refund), never below empty. */
  drain(amount: number): void {
    this.level = Math.max(0, this.level - amount);
  }

  /** Room left at `now`. */
  available(now: number): number {
    this.leak(now);
    return this.capacity - this.level;
  }

  private leak(now: number): void {
    if (this.last !== null) this.level = Math.max(0, this.level - ((now - this.last) / 1000) * this.leakPerSecond);
    this.last = Math.max(now, this.last ?? now);
  }

  private header(): Record<string, string> {
    return { "X-Shopify-Shop-Api-Call-Limit": `${Math.ceil(this.level)}/${this.capacity}` };
  }
}

/**
 * A fixed window of `limit` requests per `windowMs` (QuickBooks: 500 per minute per company; Zendesk:
 * its plan's per-minute limit with X-Rate-Limit and X-Rate-Limit-Remaining).
 */
export class FixedWindow implements RateLimiter {
  private windowStart = -Infinity;
  private used = 0;

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
    private readonly headerNames: { limit?: string; remaining?: string } = {},
  ) {}

  take(now: number): LimitDecision {
    if (now - this.windowStart >= this.windowMs) {
      // Windows start with the first request and follow each other back to back.
      const elapsedWindows = Number.isFinite(this.windowStart) ? Math.floor((now - this.windowStart) / this.windowMs) : 0;
      this.windowStart = Number.isFinite(this.windowStart) ? this.windowStart + elapsedWindows * this.windowMs : now;
      this.used = 0;
    }
    const resetSeconds = (this.windowStart + this.windowMs - now) / 1000;
    if (this.used >= this.limit) return { allowed: false, retryAfterSeconds: resetSeconds, headers: this.header() };
    this.used++;
    return { allowed: true, retryAfterSeconds: 0, headers: this.header() };
  }

  private header(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.headerNames.limit) headers[this.headerNames.limit] = String(this.limit);
    if (this.headerNames.remaining) headers[this.headerNames.remaining] = String(Math.max(0, this.limit - this.used));
    return headers;
  }
}

/** A limit that applies to some endpoints only, named so the platform's 429 can say which one refused. */
export interface EndpointLimit {
  name: string;
  matches(path: string): boolean;
  limiter: RateLimiter;
}

/**
 * The account's limit with endpoint limits on top of it (Zendesk's incremental exports: 10 requests a
 * minute whatever the plan's limit). A request counts against the account's limit first, so one an
 * endpoint limit refuses has still used the account's allowance; the answer carries the account's headers.
 */
export class EndpointLimits implements RateLimiter {
  constructor(
    private readonly account: RateLimiter,
    private readonly endpoints: EndpointLimit[],
  ) {}

  take(now: number, path = ""): LimitDecision {
    const decision = this.account.take(now, path);
    if (!decision.allowed) return decision;
    for (const endpoint of this.endpoints) {
      if (!endpoint.matches(path)) continue;
      const refusal = endpoint.limiter.take(now, path);
      if (!refusal.allowed) return { ...refusal, headers: decision.headers, limit: endpoint.name };
    }
    return decision;
  }
}

/** One allowance of a QuotaSet: how long until it has room, and recording a request that used it. */
export interface Quota {
  /** Seconds until a request fits; 0 when it fits now. */
  wait(now: number): number;
  record(now: number): void;
  remaining(now: number): number;
  release?(now: number): void;
}

/**
 * At most `limit` requests in any `windowMs` ending now (Xero: 60 a rolling minute, 5,000 a rolling
 * 24 hours). Keeps the times of the last `limit` requests in a ring: 5,000 numbers for a daily limit.
 */
export class RollingWindow implements Quota {
  private readonly times: number[] = [];
  private next = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  wait(now: number): number {
    if (this.times.length < this.limit) return 0;
    const oldest = this.times[this.next]; // the ring is full: `next` is the oldest slot
    return Math.max(0, (oldest + this.windowMs - now) / 1000);
  }

  record(now: number): void {
    if (this.times.length < this.limit) this.times.push(now);
    else this.times[this.next] = now;
    this.next = (this.next + 1) % this.limit;
  }

  remaining(now: number): number {
    let used = 0;
    for (const time of this.times) if (now - time < this.windowMs) used++;
    return Math.max(0, this.limit - used);
  }
}

/** At most `limit` requests in progress at once; a refused one may retry after a second. */
export class Concurrency implements Quota {
  private inFlight = 0;

  constructor(readonly limit: number) {}

  wait(): number {
    return this.inFlight >= this.limit ? 1 : 0;
  }

  record(): void {
    this.inFlight++;
  }

  release(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  remaining(): number {
    return Math.max(0, this.limit - this.inFlight);
  }
}

/** A named quota of a QuotaSet, with the header reporting what it has left (absent: not reported). */
export interface NamedQuota {
  name: string;
  quota: Quota;
  remainingHeader?: string;
}

/**
 * Several allowances a request must all fit (Xero: concurrent, minute, day per tenant and a minute
 * across the app's tenants). A request is counted against every quota or against none: one refused by
 * the day limit does not use the minute's allowance. Refusals name the quota (LimitDecision.limit).
 */
export class QuotaSet implements RateLimiter {
  constructor(private readonly quotas: NamedQuota[]) {}

  take(now: number): LimitDecision {
    for (const { name, quota } of this.quotas) {
      const wait = quota.wait(now);
      if (wait > 0) return { allowed: false, retryAfterSeconds: wait, headers: this.headers(now), limit: name };
    }
    for (const { quota } of this.quotas) quota.record(now);
    return { allowed: true, retryAfterSeconds: 0, headers: this.headers(now) };
  }

  release(now: number): void {
    for (const { quota } of this.quotas) quota.release?.(now);
  }

  private headers(now: number): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const { quota, remainingHeader } of this.quotas) if (remainingHeader) headers[remainingHeader] = String(quota.remaining(now));
    return headers;
  }
}

/** No limit: for benchmarks of the engine itself. */
export class Unlimited implements RateLimiter {
  take(): LimitDecision {
    return { allowed: true, retryAfterSeconds: 0, headers: {} };
  }
}

/** Retry-After as platforms send it: whole seconds, rounded up, at least 1. */
export function retryAfterHeader(seconds: number): string {
  return String(Math.max(1, Math.ceil(seconds)));
}
