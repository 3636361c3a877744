// Client-side rate limiting (DESIGN.md section 3), for both ways platforms limit:
// - Requests per second (REST platforms): every request a connector makes first takes a token from its
//   connection's bucket (the platform's per-account allowance, with a safety margin) and then from the
//   platform's shared budget, if the operator set one. A 429's Retry-After blocks the connection's bucket.
// - Query cost (Shopify's GraphQL Admin API, rateLimit.cost): a query takes its requested cost in points
//   from a model of the account's points bucket before it is sent, and is settled with what the platform
//   reported after: unused points are refunded and the platform's bucket level replaces the model's.
// Both are the same token bucket: a request is a take of 1, a query a take of its cost. Budgets shared
// by several takers (a platform's budget between connections, an account's points between the
// connections and pages that use it) serve them in fair order, so one cannot starve the others.
import type { CostAllowance, PlatformRateLimit, RequestRate } from "@/lib/platforms/definition";
import { ConnectorError } from "@/lib/platforms/types";
import type { CostOutcome } from "@/lib/platforms/cost";

/** A bucket's shape: `capacity` units, refilled at `perSecond` (requests and their burst, or points and their restore rate). */
export interface BucketShape {
  perSecond: number;
  capacity: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A token bucket of `capacity` tokens refilled at `perSecond`; its level may go below zero when the platform says it is. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private blockedUntil = 0;

  constructor(
    private shape: BucketShape,
    private readonly clock: () => number = Date.now,
  ) {
    this.tokens = shape.capacity;
    this.last = clock();
  }

  get capacity(): number {
    return this.shape.capacity;
  }

  /** The level now, refilled up to this instant. */
  level(): number {
    const now = this.clock();
    if (now > this.last) {
      this.tokens = Math.min(this.shape.capacity, this.tokens + ((now - this.last) / 1000) * this.shape.perSecond);
      this.last = now;
    }
    return this.tokens;
  }

  /**
   * Takes `amount` tokens and returns 0, or returns how many milliseconds until they are there.
   * More than the capacity can never be there: such a take waits for a full bucket and empties it.
   */
  tryTake(amount = 1): number {
    const now = this.clock();
    if (now < this.blockedUntil) return this.blockedUntil - now;
    const needed = Math.min(amount, this.shape.capacity);
    const tokens = this.level();
    if (tokens >= needed) {
      this.tokens -= needed;
      return 0;
    }
    return Math.max(1, Math.ceil(((needed - tokens) / this.shape.perSecond) * 1000));
  }

  /** Gives back tokens taken but not used (a query that cost less than it asked for). */
  refund(amount: number): void {
    this.tokens = Math.min(this.shape.capacity, this.level() + amount);
  }

  /** The platform told its own level and shape: the model takes them over from now on. */
  observe(level: number, shape: BucketShape = this.shape): void {
    this.shape = shape;
    this.tokens = Math.min(shape.capacity, level);
    this.last = Math.max(this.last, this.clock());
  }

  /** The platform said to wait (Retry-After): nothing passes before then, and the bucket restarts empty. */
  block(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.clock() + ms);
    this.tokens = 0;
    this.last = this.blockedUntil;
  }
}

interface Waiter {
  key: string;
  amount: number;
  /** Start-time fair queueing: the virtual time at which this take's turn begins. */
  start: number;
  arrival: number;
  resolve: () => void;
}

/**
 * A bucket shared by several takers (keys), served in start-time fair order: each key's takes are
 * stamped with a virtual start time, max(virtual now, the end of the key's previous take), and the
 * smallest stamp goes first once the bucket holds its amount. With takes of 1 this is round-robin
 * between the keys waiting; with costs it shares the units evenly, so a key of cheap takes cannot
 * starve a key waiting to gather enough for a dear one, and a key that joins late starts now rather
 * than owed the past. The waiter at the head is served before anyone behind it, whatever they ask.
 */
export class FairBudget {
  protected readonly bucket: TokenBucket;
  private readonly waiting: Waiter[] = [];
  private readonly finish = new Map<string, number>();
  private virtualNow = 0;
  private arrivals = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Grants per key, for tests and the benchmark. */
  readonly granted = new Map<string, number>();
  /** Units granted per key (points, for cost budgets). */
  readonly spent = new Map<string, number>();

  constructor(shape: RequestRate | BucketShape, clock: () => number = Date.now) {
    this.bucket = new TokenBucket("perSecond" in shape ? shape : { perSecond: shape.requestsPerSecond, capacity: shape.burst }, clock);
  }

  acquire(key: string, amount = 1): Promise<void> {
    return new Promise((resolve) => this.enqueue(key, amount, resolve));
  }

  /** Queues a take; `granted` runs the moment the units are taken, before any other take is served. */
  protected enqueue(key: string, amount: number, granted: () => void): void {
    const start = Math.max(this.virtualNow, this.finish.get(key) ?? 0);
    this.finish.set(key, start + amount);
    this.waiting.push({ key, amount, start, arrival: this.arrivals++, resolve: granted });
    this.pump();
  }

  /** Serves again at once: the bucket's level changed (a refund, the platform's own level). */
  protected wake(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pump();
  }

  private pump(): void {
    if (this.timer) return;
    while (this.waiting.length) {
      let next = 0;
      for (let i = 1; i < this.waiting.length; i++) {
        const [a, b] = [this.waiting[i], this.waiting[next]];
        if (a.start < b.start || (a.start === b.start && a.arrival < b.arrival)) next = i;
      }
      const waiter = this.waiting[next];
      const wait = this.bucket.tryTake(waiter.amount);
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = null;
          this.pump();
        }, wait);
        return;
      }
      this.waiting.splice(next, 1);
      this.virtualNow = waiter.start;
      this.granted.set(waiter.key, (this.granted.get(waiter.key) ?? 0) + 1);
      this.spent.set(waiter.key, (this.spent.get(waiter.key) ?? 0) + waiter.amount);
      waiter.resolve();
    }
  }
}

/** Points taken for one query, until the platform says what it cost. */
export interface PointsCharge {
  readonly points: number;
  settle(outcome: CostOutcome): void;
}

/**
 * The engine's model of one account's points bucket (Shopify: per app and store), shared by every
 * connection and page that spends it. Its shape starts as the definition's allowance (scaled, with the
 * safety margin) and follows what the platform reports: after each answer the bucket holds the
 * platform's currentlyAvailable less the points of queries taken since, whose cost the platform had
 * not seen yet, and refills at the platform's own restoreRate (a store on a larger plan reports more).
 */
export class PointsBudget extends FairBudget {
  /** Charges taken and not settled yet, with the instant they stop counting (the request timeout). */
  private readonly inFlight = new Map<object, { points: number; until: number }>();
  private grants = 0;
  /** The grant order of the charge whose report the model last took over. */
  private observed = -1;

  constructor(
    shape: BucketShape,
    private readonly safety: number,
    private readonly inFlightMs: number,
    private readonly clock: () => number = Date.now,
  ) {
    super(shape, clock);
  }

  /** Points the model holds now (may be below zero after the platform reported a deficit). */
  available(): number {
    return this.bucket.level();
  }

  async take(key: string, points: number): Promise<PointsCharge> {
    const id = {};
    let order = 0;
    // In flight from the instant the points are taken: an answer settled before this caller resumes must count them.
    await new Promise<void>((resolve) =>
      this.enqueue(key, points, () => {
        order = this.grants++;
        this.inFlight.set(id, { points, until: this.clock() + this.inFlightMs });
        resolve();
      }),
    );
    let settled = false;
    return {
      points,
      settle: (outcome) => {
        if (settled) return;
        settled = true;
        this.inFlight.delete(id);
        this.settle(points, order, outcome);
      },
    };
  }

  private settle(points: number, order: number, { actual, throttleStatus }: CostOutcome): void {
    // A report older than one already taken over (answers that crossed on the way) says nothing newer.
    if (throttleStatus && order > this.observed) {
      this.observed = order;
      const now = this.clock();
      let pending = 0;
      for (const [id, charge] of this.inFlight) {
        // A charge never settled (its request failed) stops counting after the request timeout.
        if (charge.until <= now) this.inFlight.delete(id);
        else pending += charge.points;
      }
      const shape = { perSecond: throttleStatus.restoreRate * this.safety, capacity: throttleStatus.maximumAvailable * this.safety };
      this.bucket.observe(Math.min(throttleStatus.currentlyAvailable, shape.capacity) - pending, shape);
    } else if (!throttleStatus) {
      this.bucket.refund(points - (actual ?? 0));
    }
    this.wake();
  }
}

export interface LimiterOptions {
  /** Share of the platform's documented allowance to use, leaving room for clock drift (default 0.97). */
  safety?: number;
  /**
   * Multiplies every connector's allowance: the sandbox can run its platforms with a multiple of the
   * real limits (rate_limit_scale), and tests and benchmarks without limits use a large factor. For
   * query cost it scales the declared bucket and restore rate until the platform reports its own.
   */
  scale?: number;
  /** Budgets shared by all connections of a platform (an app-wide limit), by platform key. */
  platformBudgets?: Record<string, RequestRate>;
  /** How long a query charge that is never settled counts as in flight (default 30 s, the request timeout). */
  inFlightMs?: number;
  clock?: () => number;
}

export class RequestLimiter {
  private readonly connections = new Map<string, TokenBucket>();
  /** Retry-After blocks of connections without a per-request bucket (platforms limited by query cost only). */
  private readonly blockedUntil = new Map<string, number>();
  private readonly platforms = new Map<string, FairBudget>();
  private readonly accounts = new Map<string, PointsBudget>();
  private readonly safety: number;
  private readonly clock: () => number;

  constructor(private readonly options: LimiterOptions = {}) {
    this.safety = options.safety ?? 0.97;
    this.clock = options.clock ?? Date.now;
  }

  /**
   * Waits until the connection may send one request; returns how long it waited. A platform that
   * limits only by query cost has no per-request bucket; the platform's shared budget still applies.
   */
  async acquire(platform: string, allowance: PlatformRateLimit, connectionId: string): Promise<number> {
    const started = Date.now();
    if (allowance.requestsPerSecond !== undefined) {
      const bucket = this.bucket(allowance, connectionId);
      for (let wait = bucket.tryTake(); wait > 0; wait = bucket.tryTake()) await sleep(wait);
    } else {
      // A cost-limited platform can still answer 429 with Retry-After (Shopify does, for floods of requests).
      for (let wait = (this.blockedUntil.get(connectionId) ?? 0) - this.clock(); wait > 0; wait = (this.blockedUntil.get(connectionId) ?? 0) - this.clock())
        await sleep(wait);
      this.blockedUntil.delete(connectionId);
    }
    const budget = this.budget(platform);
    if (budget) await budget.acquire(connectionId);
    return Date.now() - started;
  }

  /**
   * Waits until `points` of query cost may be spent from `account`'s points bucket, fairly between the
   * connections spending it, and takes them; settle the charge with the platform's answer. `account`
   * names the platform's bucket (one per store for Shopify), so connections to one store share it.
   */
  async takeCost(platform: string, allowance: CostAllowance, account: string, connectionId: string, points: number): Promise<PointsCharge> {
    if (!(points >= 0) || points > allowance.maxQueryCost) {
      throw new ConnectorError("permanent", `A query of ${points} points exceeds ${platform}'s limit of ${allowance.maxQueryCost} points per query`);
    }
    return this.points(platform, allowance, account).take(connectionId, points);
  }

  /** The model of an account's points bucket (created on first use from the definition's allowance). */
  points(platform: string, allowance: CostAllowance, account: string): PointsBudget {
    const key = `${platform}:${account}`;
    let budget = this.accounts.get(key);
    if (!budget) {
      const factor = this.safety * (this.options.scale ?? 1);
      budget = new PointsBudget(
        { perSecond: allowance.restorePerSecond * factor, capacity: allowance.points * factor },
        this.safety,
        this.options.inFlightMs ?? 30_000,
        this.clock,
      );
      this.accounts.set(key, budget);
    }
    return budget;
  }

  /** A 429 with Retry-After: the connection sends nothing more until then. */
  block(connectionId: string, ms: number): void {
    const bucket = this.connections.get(connectionId);
    if (bucket) bucket.block(ms);
    else this.blockedUntil.set(connectionId, Math.max(this.blockedUntil.get(connectionId) ?? 0, this.clock() + ms));
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

  private bucket(allowance: RequestRate, connectionId: string): TokenBucket {
    let bucket = this.connections.get(connectionId);
    if (!bucket) {
      // A burst of at most the platform's own, and at least one request.
      const factor = this.safety * (this.options.scale ?? 1);
      bucket = new TokenBucket({ perSecond: allowance.requestsPerSecond * factor, capacity: Math.max(1, Math.floor(allowance.burst * factor)) }, this.clock);
      this.connections.set(connectionId, bucket);
    }
    return bucket;
  }
}
