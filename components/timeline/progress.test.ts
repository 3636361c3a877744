import { describe, expect, it } from "vitest";
import { describeProgress, formatRemaining, runProgress } from "./progress";

describe("a run's progress and time left", () => {
  it("estimates the time left from the rate observed so far", () => {
    // 1,000 records in 10 s: 100/s, 4,000 to go → 40 s.
    const progress = runProgress({ seen: 1_000, total: 5_000, elapsedMs: 10_000 });
    expect(progress).toMatchObject({ total: 5_000, share: 0.2, perSecond: 100, remainingMs: 40_000 });
    expect(describeProgress(progress)).toBe("1,000 of ~5,000 records (20%) · about 40 s left");
  });

  it("never says N of M with N above M: past the count it shows the count and rate only", () => {
    const progress = runProgress({ seen: 5_200, total: 5_000, elapsedMs: 52_000 });
    expect(progress).toMatchObject({ total: null, share: null, remainingMs: null, perSecond: 100 });
    expect(describeProgress(progress)).toBe("5,200 records · 100 records/s");
  });

  it("shows the count and rate without a total, and no rate before there is one to measure", () => {
    expect(describeProgress(runProgress({ seen: 30, total: null, elapsedMs: 20_000 }))).toBe("30 records · 1.5 records/s");
    expect(runProgress({ seen: 0, total: 100, elapsedMs: 60_000 })).toMatchObject({ perSecond: null, remainingMs: null, share: 0 });
    expect(describeProgress(runProgress({ seen: 10, total: 100, elapsedMs: 500 }))).toBe("10 of ~100 records (10%)");
    expect(runProgress({ seen: 10, total: 0, elapsedMs: 10_000 }).total).toBeNull();
  });

  it("words the time left in the unit that fits", () => {
    expect(formatRemaining(4_000)).toBe("less than 10 s left");
    expect(formatRemaining(44_000)).toBe("about 40 s left");
    expect(formatRemaining(185_000)).toBe("about 3 min left");
    expect(formatRemaining(2 * 3_600_000 + 15 * 60_000)).toBe("about 2 h 15 min left");
  });
});
