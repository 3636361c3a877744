// The chart ranges and their buckets, shared by the metrics queries and the chart component (so no
// database import here). Buckets are aligned to multiples of their size since the epoch: whole UTC
// hours, six-hour blocks starting at 00:00 UTC, UTC days; the last bucket holds now.
import { z } from "zod";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export const METRIC_RANGES = ["24h", "7d", "30d"] as const;
export type MetricRange = (typeof METRIC_RANGES)[number];

/** Bucket size and count per range: 24 hours, 28 six-hour blocks, 30 days. */
export const RANGE_BUCKETS: Record<MetricRange, { bucketMs: number; count: number }> = {
  "24h": { bucketMs: HOUR, count: 24 },
  "7d": { bucketMs: 6 * HOUR, count: 28 },
  "30d": { bucketMs: DAY, count: 30 },
};

export const metricRangeSchema = z.enum(METRIC_RANGES);

/** The starts of a range's buckets at `now`, oldest first, and the window they cover [from, to). */
export function rangeWindow(range: MetricRange, now: Date): { bucketMs: number; starts: number[]; from: Date; to: Date } {
  const { bucketMs, count } = RANGE_BUCKETS[range];
  const last = Math.floor(now.getTime() / bucketMs) * bucketMs;
  const starts = Array.from({ length: count }, (_, i) => last - (count - 1 - i) * bucketMs);
  return { bucketMs, starts, from: new Date(starts[0]), to: new Date(last + bucketMs) };
}

/** What each chart draws, in stacking order. */
export const CHART_SERIES = {
  runs: ["succeeded", "failed"],
  records: ["created", "updated", "deleted"],
  requests: ["requests", "rate_limited"],
  deliveries: ["delivered", "retrying", "failed"],
} as const;

export type ChartKind = keyof typeof CHART_SERIES;
export type ChartPoint<K extends ChartKind> = { start: string } & { [S in (typeof CHART_SERIES)[K][number]]: number };

export interface ChartData<K extends ChartKind = ChartKind> {
  buckets: ChartPoint<K>[];
  totals: { [S in (typeof CHART_SERIES)[K][number]]: number };
}

export type MetricScope = { kind: "environment" } | { kind: "connection"; id: string } | { kind: "endpoint"; id: string };

export interface Metrics {
  range: MetricRange;
  bucketMs: number;
  from: string;
  to: string;
  charts: { [K in ChartKind]?: ChartData<K> };
}
