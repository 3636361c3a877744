// Client-side rate limiting (DESIGN.md section 3): every request a connector makes first takes a token
// from its connection's bucket (the platform's per-account allowance, with a safety margin) and then
// from the platform's shared budget, which serves the connections waiting on it round-robin so that
// one large account cannot starve the others. A 429's Retry-After blocks the connection's bucket.

export interface RateAllowance {
  requestsPerSecond: number;
  burst: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A token bucket: `burst` tokens, refilled at `requestsPerSecond`. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private blockedUntil = 0;

  constructor(
    readonly allowance: RateAllowance,
    private readonly clock: () => number = Date.now,
  ) {
    this.tokens = allowance.burst;
    this.last = clock();
  }

  /** Takes a token and returns 0, or returns how many milliseconds until one is available. */
  tryTake(): number {
    const now = this.clock();
    if (now < this.blockedUntil) return this.blockedUntil - now;
    this.tokens = Math.min(this.allowance.burst, this.tokens + ((now - this.last) / 1000) * this.allowance.requestsPerSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.allowance.requestsPerSecond) * 1000);
  }

  /** The platform said to wait (Retry-After): nothing passes before then, and the bucket restarts empty. */
  block(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.clock() + ms);
    this.tokens = 0;
    this.last = this.blockedUntil;
  }
}

/** A budget shared by many connections, handed out round-robin among those waiting. */
export class FairBudget {
  private readonly bucket: TokenBucket;
  private readonly queues = new Map<string, (() => void)[]>();
  private readonly ring: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Grants per connection, for tests and the benchmark. */
  readonly granted = new Map<string, number>();

  constructor(allowance: RateAllowance, clock: () => number = Date.now) {
    this.bucket = new TokenBucket(allowance, clock);
  }

  acquire(key: string): Promise<void> {
    return new Promise((resolve) => {
      const queue = this.queues.get(key);
      if (queue) queue.push(resolve);
      else {
        this.queues.set(key, [resolve]);
        this.ring.push(key);
      }
      this.pump();
    });
  }

  private pump(): void {
    if (this.timer) return;
    while (this.ring.length) {
      const wait = this.bucket.tryTake();
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = null;
          this.pump();
        }, wait);
        return;
      }
      const key = this.ring.shift()!;
      const queue = this.queues.get(key)!;
      const resolve = queue.shift()!;
      if (queue.length) this.ring.push(key);
      else this.queues.delete(key);
      this.granted.set(key, (this.granted.get(key) ?? 0) + 1);
      resolve();
    }
  }
}

export interface LimiterOptions {
  /** Share of the platform's documented allowance to use, leaving room for clock drift (default 0.97). */
  safety?: number;
  /**
   * Multiplies every connector's allowance: the sandbox can run its platforms with a multiple of the
   * real limits (rate_limit_scale), and tests and benchmarks without limits use a large factor.
   */
  scale?: number;
  /** Budgets shared by all connections of a platform (an app-wide limit), by platform key. */
  platformBudgets?: Record<string, RateAllowance>;
  clock?: () => number;
}

export class RequestLimiter {
  private readonly connections = new Map<string, TokenBucket>();
  private readonly platforms = new Map<string, FairBudget>();
  private readonly safety: number;
  private readonly clock: () => number;

  constructor(private readonly options: LimiterOptions = {}) {
    this.safety = options.safety ?? 0.97;
    this.clock = options.clock ?? Date.now;
  }

  /** Waits until the connection may send one request; returns how long it waited. */
  async acquire(platform: string, allowance: RateAllowance, connectionId: string): Promise<number> {
    const started = Date.now();
    const bucket = this.bucket(allowance, connectionId);
    for (let wait = bucket.tryTake(); wait > 0; wait = bucket.tryTake()) await sleep(wait);
    const budget = this.budget(platform);
    if (budget) await budget.acquire(connectionId);
    return Date.now() - started;
  }

  /** A 429 with Retry-After: the connection sends nothing more until then. */
  block(connectionId: string, ms: number): void {
    this.connections.get(connectionId)?.block(ms);
  }

  /** The platform's shared budget, if one is configured. */
  budget(platform: string): FairBudget | null {
    const allowance = this.options.platformBudgets?.[platform];
    if (!allowance) return null;
    let budget = this.platforms.get(platform);
    if (!budget) {
      budget = new FairBudget(allowance, this.clock);
      this.platforms.set(platform, budget);
    }
    return budget;
  }

  private bucket(allowance: RateAllowance, connectionId: string): TokenBucket {
    let bucket = this.connections.get(connectionId);
    if (!bucket) {
      // A burst of at most the platform's own, and at least one request.
      const factor = this.safety * (this.options.scale ?? 1);
      bucket = new TokenBucket({ requestsPerSecond: allowance.requestsPerSecond * factor, burst: Math.max(1, Math.floor(allowance.burst * factor)) }, this.clock);
      this.connections.set(connectionId, bucket);
    }
    return bucket;
  }
}
