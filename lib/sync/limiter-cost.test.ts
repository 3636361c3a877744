// The limiter's query-cost budgets against a simulated Shopify GraphQL points bucket, on a fake clock:
// many queries of varying cost from several connections never overdraw the bucket (no THROTTLED),
// keep it busy (≥ 95% of the restore rate over ten minutes), share it evenly between the connections,
// and follow what the platform reports (a larger plan's rate, points spent elsewhere, refunds).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CostAllowance } from "@/lib/platforms/definition";
import { throttledError, type ThrottleStatus } from "@/lib/platforms/cost";
import { ConnectorError } from "@/lib/platforms/types";
import { RequestLimiter } from "./limiter";
import { classifyFailure } from "./platform-session";

/** Shopify's calculated-cost bucket: the requested cost must be there before a query runs; what it did not use is refunded. */
class SimulatedStore {
  private level: number;
  private last: number;
  throttled = 0;
  /** Points the store's queries really used. */
  used = 0;

  constructor(
    readonly maximum: number,
    readonly restoreRate: number,
  ) {
    this.level = maximum;
    this.last = Date.now();
  }

  private status(): ThrottleStatus {
    return { maximumAvailable: this.maximum, currentlyAvailable: this.level, restoreRate: this.restoreRate };
  }

  query(requested: number, actual: number): { throttled: boolean; status: ThrottleStatus } {
    const now = Date.now();
    this.level = Math.min(this.maximum, this.level + ((now - this.last) / 1000) * this.restoreRate);
    this.last = now;
    if (this.level < requested) {
      this.throttled++;
      return { throttled: true, status: this.status() };
    }
    this.level -= actual;
    this.used += actual;
    return { throttled: false, status: this.status() };
  }

  /** Someone else with the same app (another worker, a script) spends points. */
  spend(points: number): void {
    this.query(points, points);
  }
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const STANDARD: CostAllowance = { points: 2000, restorePerSecond: 100, maxQueryCost: 1000 };
/** Each way of a request: the platform evaluates a query LATENCY ms after it was sent, and answers LATENCY ms later. */
const LATENCY = 60;

interface Connection {
  id: string;
  store: SimulatedStore;
  account: string;
  /** A query's requested cost and the share of it the query really uses. */
  query(): { requested: number; actual: number };
  requested: number;
  queries: number;
}

/**
 * Each connection keeps `inFlight` queries going (a page fetched ahead, a sync job beside the sync)
 * until `ms` have passed; returns the seconds until the last answer.
 */
async function drive(limiter: RequestLimiter, connections: Connection[], ms: number, inFlight = 2): Promise<number> {
  const started = Date.now();
  const end = started + ms;
  const loop = async (connection: Connection) => {
    while (Date.now() < end) {
      const { requested, actual } = connection.query();
      const charge = await limiter.takeCost("shopify", STANDARD, connection.account, connection.id, requested);
      connection.requested += requested;
      connection.queries++;
      await sleep(LATENCY);
      const answer = connection.store.query(requested, actual);
      await sleep(LATENCY);
      charge.settle({ actual: answer.throttled ? null : actual, throttleStatus: answer.status });
    }
  };
  let done = false;
  const loops = Promise.all(connections.flatMap((connection) => Array.from({ length: inFlight }, () => loop(connection)))).then(() => (done = true));
  while (!done) await vi.advanceTimersByTimeAsync(1000);
  await loops;
  return (Date.now() - started) / 1000;
}

function connection(id: string, store: SimulatedStore, costs: { min: number; max: number }, seed: number, account = "sandbox:store"): Connection {
  const next = random(seed);
  return {
    id,
    store,
    account,
    requested: 0,
    queries: 0,
    query() {
      const requested = Math.round(costs.min + next() * (costs.max - costs.min));
      // A page comes back shorter than asked for as often as not: 30–100% of the requested cost.
      return { requested, actual: Math.max(1, Math.round(requested * (0.3 + 0.7 * next()))) };
    },
  };
}

describe("the limiter's query-cost budgets", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse("2026-01-01T00:00:00Z") });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const newLimiter = () => new RequestLimiter({ clock: () => Date.now() });

  it("never overdraws a Standard store's bucket, uses ≥ 95% of its restore rate over ten minutes, and shares it evenly between connections", async () => {
    const store = new SimulatedStore(2000, 100);
    // Three connections to the same store (its bucket is per app and store): cheap queries, dear ones, and a mix.
    const connections = [
      connection("conn_cheap", store, { min: 10, max: 60 }, 1),
      connection("conn_dear", store, { min: 500, max: 990 }, 2),
      connection("conn_mixed", store, { min: 20, max: 700 }, 3),
    ];
    const seconds = await drive(newLimiter(), connections, 600_000);

    expect(store.throttled).toBe(0);
    // Beyond the full bucket it starts with, the store restores 100 points a second; the queries used ≥ 95% of that.
    expect(store.used - 2000).toBeGreaterThanOrEqual(0.95 * 100 * seconds);
    // Even in points asked for: the dear queries are not starved by the cheap ones, nor the cheap crowded out
    // (a connection's share dips below a third only while its own queries are on their way).
    const total = connections.reduce((sum, c) => sum + c.requested, 0);
    for (const c of connections) expect(c.requested / total).toBeGreaterThan(0.27);
    for (const c of connections) expect(c.requested / total).toBeLessThan(0.4);
    expect(connections[0].queries).toBeGreaterThan(10 * connections[1].queries);
  });

  it("keeps each store's bucket to itself, and follows a larger plan's reported restore rate", async () => {
    const standard = new SimulatedStore(2000, 100);
    // A Shopify Plus store: ten times the Standard bucket and rate, which only its answers tell.
    const plus = new SimulatedStore(20_000, 1000);
    const connections = [
      connection("conn_standard", standard, { min: 50, max: 400 }, 4, "production:standard-shop"),
      connection("conn_plus", plus, { min: 50, max: 400 }, 5, "production:plus-shop"),
    ];
    const seconds = await drive(newLimiter(), connections, 120_000, 4);

    expect(standard.throttled + plus.throttled).toBe(0);
    expect(standard.used - 2000).toBeGreaterThanOrEqual(0.95 * 100 * seconds);
    expect(plus.used - 20_000).toBeGreaterThanOrEqual(0.95 * 1000 * seconds);
  });

  it("takes over the platform's level: points spent elsewhere are waited for, unused points are refunded", async () => {
    const limiter = newLimiter();
    const budget = limiter.points("shopify", STANDARD, "sandbox:store");
    // The declared bucket, with the 3% safety margin.
    expect(budget.available()).toBeCloseTo(1940);
    const first = await limiter.takeCost("shopify", STANDARD, "sandbox:store", "conn_a", 400);
    // The query used 100 of its 400, and something else had spent 1,500 meanwhile.
    first.settle({ actual: 100, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 400, restoreRate: 100 } });
    expect(budget.available()).toBeCloseTo(400);

    // 600 points: 200 missing, restored at 97 a second (the platform's rate less the margin).
    let granted = false;
    void limiter.takeCost("shopify", STANDARD, "sandbox:store", "conn_a", 600).then(() => (granted = true));
    await vi.advanceTimersByTimeAsync(2000);
    expect(granted).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(granted).toBe(true);

    // Without a reported level the refund is requested − actual.
    await vi.advanceTimersByTimeAsync(10_000);
    const before = budget.available();
    const second = await limiter.takeCost("shopify", STANDARD, "sandbox:store", "conn_a", 300);
    second.settle({ actual: 120, throttleStatus: null });
    expect(budget.available()).toBeCloseTo(before - 120, 0);
  });

  it("counts the points of queries still in flight against a reported level, and an older report never overrides a newer one", async () => {
    const limiter = newLimiter();
    const budget = limiter.points("shopify", STANDARD, "sandbox:store");
    const a = await limiter.takeCost("shopify", STANDARD, "sandbox:store", "conn_a", 500);
    const b = await limiter.takeCost("shopify", STANDARD, "sandbox:store", "conn_a", 300);
    const c = await limiter.takeCost("shopify", STANDARD, "sandbox:store", "conn_b", 200);
    // The platform saw only b when it answered: its 1,700 do not include a's and c's points, still on their way.
    b.settle({ actual: 300, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1700, restoreRate: 100 } });
    expect(budget.available()).toBeCloseTo(1700 - 500 - 200);
    // a's answer was overtaken by b's: it says nothing newer.
    a.settle({ actual: 500, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1500, restoreRate: 100 } });
    expect(budget.available()).toBeCloseTo(1000);
    c.settle({ actual: 50, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1350, restoreRate: 100 } });
    expect(budget.available()).toBeCloseTo(1350);
  });

  it("serves a dear query before cheaper ones that arrive after it", async () => {
    const limiter = newLimiter();
    const first = await limiter.takeCost("shopify", STANDARD, "sandbox:store", "conn_a", 1000);
    first.settle({ actual: 1000, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 0, restoreRate: 100 } });
    const order: string[] = [];
    void limiter.takeCost("shopify", STANDARD, "sandbox:store", "conn_dear", 900).then(() => order.push("dear"));
    for (let i = 0; i < 5; i++) void limiter.takeCost("shopify", STANDARD, "sandbox:store", "conn_cheap", 10).then(() => order.push("cheap"));
    await vi.advanceTimersByTimeAsync(20_000);
    expect(order[0]).toBe("dear");
    expect(order).toHaveLength(6);
  });

  it("refuses a query dearer than the platform's single-query limit at once, as a permanent failure", async () => {
    await expect(newLimiter().takeCost("shopify", STANDARD, "sandbox:store", "conn_a", 1001)).rejects.toMatchObject({ kind: "permanent" });
  });

  it("scales the declared allowance with the limiter's scale, as it does requests per second", () => {
    expect(new RequestLimiter({ scale: 0.1, clock: () => Date.now() }).points("shopify", STANDARD, "sandbox:store").available()).toBeCloseTo(194);
  });
});

describe("a THROTTLED answer", () => {
  it("is rate_limited, to be retried once the platform has restored the points the query lacked", () => {
    const error = throttledError(230, { maximumAvailable: 2000, currentlyAvailable: 30, restoreRate: 100 });
    expect(error).toBeInstanceOf(ConnectorError);
    expect(classifyFailure(error)).toMatchObject({ kind: "rate_limited", retryAfterMs: 2000 });
    // A larger plan restores faster; a platform that said nothing gets the engine's default second.
    expect(classifyFailure(throttledError(230, { maximumAvailable: 20_000, currentlyAvailable: 30, restoreRate: 1000 }))).toMatchObject({ retryAfterMs: 200 });
    expect(classifyFailure(throttledError(230, null))).toMatchObject({ retryAfterMs: 1000 });
  });
});
