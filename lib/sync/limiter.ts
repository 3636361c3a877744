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
//
// Where the levels live (LimiterOptions.buckets): the app and the worker keep connections' buckets,
// their Retry-After blocks and platform budgets in the database (lib/db/shared-bucket.ts), so they
// hold across every process that syncs, proxies or writes — an Inngest sync's pages may run on any.
// A request then costs one statement, under a platform budget too: a reservation in its connection's
// bucket and in the platform's budget at once, waiting for the later of the two, whichever process
// queued before it. The budget's order is the order of those statements on its row: a connection's
// pages are fetched one after another, so each connection holds at most one reservation (two with a
// sync's prefetch) and the budget goes round-robin between the connections waiting. In this process
// alone (no buckets given: tests, benchmarks) the budget is a FairBudget served after the connection's
// bucket. The query cost model (PointsBudget) stays in each process: it follows what the platform
// reports after every query, which corrects it for points other processes spent.
import type { CostAllowance, PlatformRateLimit, RequestRate } from "@/lib/platforms/definition";
import { ConnectorError } from "@/lib/platforms/types";
import type { CostOutcome } from "@/lib/platforms/cost";
import { memoryBuckets, TokenBucket, type BucketShape, type Buckets, type Reservation } from "@/lib/db/shared-bucket";

export { TokenBucket, type BucketShape } from "@/lib/db/shared-bucket";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A rate as a bucket: `burst` requests, refilled at `requestsPerSecond`. */
const bucketShape = (shape: RequestRate | BucketShape): BucketShape =>
  "perSecond" in shape ? shape : { perSecond: shape.requestsPerSecond, capacity: shape.burst };

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
    this.bucket = new TokenBucket(bucketShape(shape), clock);
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
      const wait = this.bucket.tryTake(this.waiting[next].amount);
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = null;
          this.pump();
        }, wait);
        return;
      }
      this.grant(next);
    }
  }

  private grant(index: number): void {
    const [waiter] = this.waiting.splice(index, 1);
    this.virtualNow = waiter.start;
    this.granted.set(waiter.key, (this.granted.get(waiter.key) ?? 0) + 1);
    this.spent.set(waiter.key, (this.spent.get(waiter.key) ?? 0) + waiter.amount);
    waiter.resolve();
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
  /**
   * Where connections' buckets and platform budgets live: sharedBuckets(db) for the app and the
   * worker, so every process spends the same ones; by default this process's own (tests, benchmarks).
   */
  buckets?: Buckets;
}

// The bucket of a connection to a platform limited by query cost only: it never runs dry, and holds
// the connection's Retry-After blocks (Shopify answers 429 to floods of requests too).
const UNMETERED: BucketShape = { perSecond: 1e9, capacity: 1e9 };

export class RequestLimiter {
  private readonly buckets: Buckets;
  /** Each connection's bucket shape, from its platform's allowance (a block writes it if the row is new). */
  private readonly shapes = new Map<string, BucketShape>();
  /** Retry-After blocks heard in this process, checked again after a reservation's wait. */
  private readonly blockedUntil = new Map<string, number>();
  private readonly platforms = new Map<string, FairBudget>();
  private readonly accounts = new Map<string, PointsBudget>();
  private readonly safety: number;
  private readonly clock: () => number;

  constructor(private readonly options: LimiterOptions = {}) {
    this.safety = options.safety ?? 0.97;
    this.clock = options.clock ?? Date.now;
    this.buckets = options.buckets ?? memoryBuckets(this.clock);
  }

  /**
   * Waits until the connection may send one request; returns how long it waited. A platform that
   * limits only by query cost has no per-request allowance; its Retry-After blocks and the platform's
   * shared budget still apply. One statement on shared buckets, with or without a platform budget.
   */
  async acquire(platform: string, allowance: PlatformRateLimit, connectionId: string): Promise<number> {
    const started = Date.now();
    // The connection's key before the platform's: every statement locks the rows in that order.
    const takes: Reservation[] = [{ key: connectionKey(connectionId), shape: this.shape(allowance, connectionId) }];
    const budget = this.options.platformBudgets?.[platform];
    if (budget && this.options.buckets) takes.push({ key: `platform:${platform}`, shape: bucketShape(budget) });
    for (;;) {
      const wait = await this.buckets.reserveAll(takes);
      if (wait > 0) await sleep(wait);
      // A reservation made before a 429 this process has since heard waits the block out, and queues
      // again in the connection's bucket only: the budget's share was taken and stays spent.
      const blocked = (this.blockedUntil.get(connectionId) ?? 0) - this.clock();
      if (blocked <= 0) break;
      takes.length = 1;
      await sleep(blocked);
    }
    this.blockedUntil.delete(connectionId);
    await this.budget(platform)?.acquire(connectionId);
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

  /** A 429 with Retry-After: the connection sends nothing more until then, from any process. */
  async block(connectionId: string, ms: number): Promise<void> {
    this.blockedUntil.set(connectionId, Math.max(this.blockedUntil.get(connectionId) ?? 0, this.clock() + ms));
    await this.buckets.block(connectionKey(connectionId), this.shapes.get(connectionId) ?? UNMETERED, ms);
  }

  /**
   * The platform's budget in this process, if one is configured and the buckets are this process's
   * own; on shared buckets it is a row in the database, reserved by acquire with the connection's.
   */
  budget(platform: string): FairBudget | null {
    const allowance = this.options.platformBudgets?.[platform];
    if (!allowance || this.options.buckets) return null;
    let budget = this.platforms.get(platform);
    if (!budget) {
      budget = new FairBudget(allowance, this.clock);
      this.platforms.set(platform, budget);
    }
    return budget;
  }

  private shape(allowance: PlatformRateLimit, connectionId: string): BucketShape {
    let shape = this.shapes.get(connectionId);
    if (!shape) {
      // A burst of at most the platform's own, and at least one request.
      const factor = this.safety * (this.options.scale ?? 1);
      shape =
        allowance.requestsPerSecond === undefined
          ? UNMETERED
          : { perSecond: allowance.requestsPerSecond * factor, capacity: Math.max(1, Math.floor((allowance.burst ?? 1) * factor)) };
      this.shapes.set(connectionId, shape);
    }
    return shape;
  }
}

const connectionKey = (connectionId: string) => `connection:${connectionId}`;
