import { describe, expect, it } from "vitest";
import { Concurrency, FixedWindow, LeakyBucket, QuotaSet, RollingWindow, retryAfterHeader } from "./rate-limit";

describe("Shopify's leaky bucket", () => {
  it("lets a burst of 40 through, refuses the 41st, and leaks 2 per second", () => {
    const bucket = new LeakyBucket(40, 2);
    for (let i = 1; i <= 40; i++) {
      const decision = bucket.take(0);
      expect(decision.allowed).toBe(true);
      expect(decision.headers["X-Shopify-Shop-Api-Call-Limit"]).toBe(`${i}/40`);
    }
    const refused = bucket.take(0);
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 0.5 });
    expect(retryAfterHeader(refused.retryAfterSeconds)).toBe("1");
    // 500 ms later one request has leaked out: exactly one more fits.
    expect(bucket.take(500).allowed).toBe(true);
    expect(bucket.take(500).allowed).toBe(false);
    // After 20 s the bucket is empty again.
    expect(bucket.take(20_500).headers["X-Shopify-Shop-Api-Call-Limit"]).toBe("1/40");
  });

  it("sustains exactly the leak rate", () => {
    const bucket = new LeakyBucket(40, 2);
    let allowed = 0;
    for (let t = 0; t < 60_000; t += 100) if (bucket.take(t).allowed) allowed++;
    // 40 at once, then 2 per second for the remaining 59.9 s.
    expect(allowed).toBe(40 + 119);
  });
});

describe("a per-minute window", () => {
  it("allows the limit per window, reports what remains and when it resets", () => {
    const window = new FixedWindow(500, 60_000, { limit: "X-Rate-Limit", remaining: "X-Rate-Limit-Remaining" });
    for (let i = 0; i < 500; i++) expect(window.take(1_000 + i).allowed).toBe(true);
    const refused = window.take(31_000);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(30);
    expect(refused.headers).toEqual({ "X-Rate-Limit": "500", "X-Rate-Limit-Remaining": "0" });
    const next = window.take(61_000);
    expect(next.allowed).toBe(true);
    expect(next.headers["X-Rate-Limit-Remaining"]).toBe("499");
  });
});

describe("a leaky bucket filled by cost (Shopify's GraphQL bucket)", () => {
  it("holds a cost only when it fits, refunds, and restores at its rate", () => {
    const bucket = new LeakyBucket(2000, 100);
    expect(bucket.fill(0, 1500).allowed).toBe(true);
    expect(bucket.available(0)).toBe(500);
    expect(bucket.fill(0, 600)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    bucket.drain(1400); // requested 1500, used 100
    expect(bucket.available(0)).toBe(1900);
    expect(bucket.fill(0, 1900).allowed).toBe(true);
    expect(bucket.available(2000)).toBe(200);
    expect(bucket.available(60_000)).toBe(2000);
  });
});

describe("rolling windows, concurrency and quota sets (Xero's limits)", () => {
  it("a rolling window refuses until its oldest request leaves the window, not at a boundary", () => {
    const window = new RollingWindow(3, 60_000);
    for (const t of [0, 10_000, 20_000]) {
      expect(window.wait(t)).toBe(0);
      window.record(t);
    }
    expect(window.wait(30_000)).toBe(30); // the call at 0 leaves at 60 s
    expect(window.remaining(30_000)).toBe(0);
    expect(window.wait(60_000)).toBe(0);
    window.record(60_000);
    expect(window.wait(60_001)).toBeCloseTo(9.999, 3); // now the call at 10 s is the oldest
    expect(window.remaining(75_000)).toBe(1);
  });

  it("a request is counted against every quota or none, refusals name the quota, and release frees a concurrent slot", () => {
    const minute = new RollingWindow(10, 60_000);
    const set = new QuotaSet([
      { name: "concurrent", quota: new Concurrency(2) },
      { name: "day", quota: new RollingWindow(3, 86_400_000), remainingHeader: "X-DayLimit-Remaining" },
      { name: "minute", quota: minute, remainingHeader: "X-MinLimit-Remaining" },
    ]);
    expect(set.take(0)).toMatchObject({ allowed: true, headers: { "X-DayLimit-Remaining": "2", "X-MinLimit-Remaining": "9" } });
    expect(set.take(0).allowed).toBe(true);
    expect(set.take(0)).toMatchObject({ allowed: false, limit: "concurrent", retryAfterSeconds: 1 });
    expect(minute.remaining(0)).toBe(8); // the refused call used nothing
    set.release(0);
    set.release(0);
    expect(set.take(1000).allowed).toBe(true);
    set.release(1000);
    expect(set.take(2000)).toMatchObject({ allowed: false, limit: "day", headers: { "X-DayLimit-Remaining": "0" } });
    expect(set.take(2000).retryAfterSeconds).toBe(86_400 - 2);
  });
});
