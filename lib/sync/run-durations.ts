// Run durations as a fixed log-scale histogram, the shape kept per hour in sync_run_hourly_rollups
// (lib/sync/sql/count-ended-runs.ts writes it, lib/presenters/overview.ts reads it). Fixed bounds
// make hours addable: a week's histogram is the element-wise sum of 168 hourly ones, and its
// percentiles are read from the sum, where percentiles of raw runs needed a sort of every run (450 ms
// for 163k runs, issue 8). The price is precision: a percentile is known within one bucket, ±25%.

/**
 * Upper bounds of the duration buckets in milliseconds: 100 ms × 1.25^i for i = 0..61, rounded, so
 * from 100 ms to 22.7 h. Bucket 0 holds durations under 100 ms, bucket i (1..61) durations in
 * [bounds[i - 1], bounds[i]), bucket 62 everything from 22.7 h up: 63 buckets, the length of every
 * stored histogram. PostgreSQL's width_bucket(duration, bounds) gives the same index.
 *
 * Never change these in place: stored hours would be read with the wrong bounds. The migration
 * 20261123034736_sync_run_hourly_rollups repeats them for its backfill (a test checks they agree).
 */
export const DURATION_BUCKET_BOUNDS_MS: readonly number[] = [
  100, 125, 156, 195, 244, 305, 381, 477, 596, 745, 931, 1164, 1455, 1819, 2274, 2842, 3553, 4441, 5551, 6939, 8674, 10842, 13553, 16941, 21176, 26470, 33087,
  41359, 51699, 64623, 80779, 100974, 126218, 157772, 197215, 246519, 308149, 385186, 481482, 601853, 752316, 940395, 1175494, 1469368, 1836710, 2295887,
  2869859, 3587324, 4484155, 5605194, 7006492, 8758115, 10947644, 13684555, 17105694, 21382118, 26727647, 33409559, 41761949, 52202436, 65253045, 81566306,
];

export const DURATION_BUCKETS = DURATION_BUCKET_BOUNDS_MS.length + 1;

/** The bucket of a duration: how many bounds are ≤ it (PostgreSQL's width_bucket with an array). */
export function durationBucket(ms: number): number {
  let low = 0;
  let high = DURATION_BUCKET_BOUNDS_MS.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (DURATION_BUCKET_BOUNDS_MS[middle] <= ms) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The range of durations a bucket holds; the open-ended last one is given one more step of 1.25. */
export function bucketRange(bucket: number): [number, number] {
  const bounds = DURATION_BUCKET_BOUNDS_MS;
  const lower = bucket === 0 ? 0 : bounds[bucket - 1];
  const upper = bucket < bounds.length ? bounds[bucket] : Math.round(bounds[bounds.length - 1] * 1.25);
  return [lower, upper];
}

/**
 * The q-quantile (0 < q < 1) of a histogram: the bucket holding the q·n-th duration, and a linear
 * interpolation inside it, durations being assumed spread evenly across the bucket. Within one
 * bucket's width of the exact figure; null for an empty histogram.
 */
export function histogramQuantile(counts: readonly number[], q: number): number | null {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const target = q * total;
  let before = 0;
  for (let bucket = 0; bucket < counts.length; bucket++) {
    const count = counts[bucket];
    if (count > 0 && before + count >= target) {
      const [lower, upper] = bucketRange(bucket);
      return lower + ((upper - lower) * (target - before)) / count;
    }
    before += count;
  }
  return bucketRange(counts.length - 1)[1];
}
