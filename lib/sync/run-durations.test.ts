// The duration histogram's buckets and percentiles: bucket edges agree with PostgreSQL's width_bucket
// as the migration's backfill uses it, and a percentile read from the histogram lies within one
// bucket of the exact one.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DURATION_BUCKET_BOUNDS_MS, DURATION_BUCKETS, bucketRange, durationBucket, histogramQuantile } from "./run-durations";

const MIGRATION = path.join(process.cwd(), "prisma/migrations/20261123034736_sync_run_hourly_rollups/migration.sql");

function histogram(durations: number[]): number[] {
  const counts = new Array<number>(DURATION_BUCKETS).fill(0);
  for (const ms of durations) counts[durationBucket(ms)]++;
  return counts;
}

/** percentile_cont: linear interpolation between the closest ranks. */
function exactQuantile(durations: number[], q: number): number {
  const sorted = [...durations].sort((a, b) => a - b);
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (position - low);
}

describe("duration buckets", () => {
  it("grow by 1.25 from 100 ms to about a day, the bounds written once", () => {
    expect(DURATION_BUCKET_BOUNDS_MS[0]).toBe(100);
    DURATION_BUCKET_BOUNDS_MS.forEach((bound, i) => expect(Math.abs(bound - 100 * 1.25 ** i)).toBeLessThanOrEqual(0.5));
    expect(DURATION_BUCKET_BOUNDS_MS.at(-1)! / 3_600_000).toBeCloseTo(22.66, 1);
    expect(DURATION_BUCKETS).toBe(63);
  });

  it("puts a duration in the bucket of the bounds at or below it, like width_bucket", () => {
    expect(durationBucket(0)).toBe(0);
    expect(durationBucket(99)).toBe(0);
    expect(durationBucket(100)).toBe(1);
    expect(durationBucket(124)).toBe(1);
    expect(durationBucket(125)).toBe(2);
    expect(durationBucket(81_566_306)).toBe(62);
    expect(durationBucket(7 * 24 * 3_600_000)).toBe(62);
    for (const ms of [1, 150, 6500, 20_000, 3_600_000]) {
      const [lower, upper] = bucketRange(durationBucket(ms));
      expect(ms).toBeGreaterThanOrEqual(lower);
      expect(ms).toBeLessThan(upper);
    }
  });

  it("are the ones the migration's backfill uses", () => {
    const sql = readFileSync(MIGRATION, "utf8");
    const literal = /width_bucket\([^,]+, array\[([\d, ]+)\]/.exec(sql);
    expect(literal).not.toBeNull();
    expect(literal![1].split(",").map(Number)).toEqual(DURATION_BUCKET_BOUNDS_MS);
  });
});

describe("percentiles from a histogram", () => {
  it("are null without durations", () => {
    expect(histogramQuantile(histogram([]), 0.5)).toBeNull();
  });

  it("lie within one bucket of the exact percentile", () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const sets = [
      [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000, 20_000, 20_000],
      Array.from({ length: 5000 }, () => Math.round(200 * Math.exp(random() * 9))),
      Array.from({ length: 2000 }, () => 30_000 + Math.round(random() * 5000)),
    ];
    for (const durations of sets) {
      for (const q of [0.5, 0.95]) {
        const exact = exactQuantile(durations, q);
        const [lower, upper] = bucketRange(durationBucket(exact));
        expect(Math.abs(histogramQuantile(histogram(durations), q)! - exact)).toBeLessThanOrEqual(upper - lower);
      }
    }
  });
});
