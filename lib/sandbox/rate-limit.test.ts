import { describe, expect, it } from "vitest";
import { FixedWindow, LeakyBucket, retryAfterHeader } from "./rate-limit";

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
