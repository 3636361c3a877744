// How each chart of lib/metrics is drawn: titles, series labels and colours. Colours are the
// palette's CSS variables (var(--color-…)), so the charts follow the theme when the app flips those
// variables for dark mode; each legend swatch uses the same colour as a Tailwind class, which also
// makes Tailwind emit the variable.
import type { ChartKind, MetricRange } from "@/lib/metrics/ranges";

export interface SeriesStyle {
  key: string;
  label: string;
  color: string;
  swatch: string;
}

export interface ChartStyle {
  title: string;
  /** "runs ended", as in "12 runs ended in the last 24 hours". */
  noun: string;
  series: SeriesStyle[];
  /** Series drawn as a line on their own right-hand axis (429s beside thousands of requests). */
  line?: string;
}

const css = (name: string) => `var(--color-${name})`;

export const CHART_STYLES: Record<ChartKind, ChartStyle> = {
  runs: {
    title: "Sync runs",
    noun: "runs ended",
    series: [
      { key: "succeeded", label: "Succeeded", color: css("emerald-500"), swatch: "bg-emerald-500" },
      { key: "failed", label: "Failed", color: css("red-500"), swatch: "bg-red-500" },
    ],
  },
  records: {
    title: "Records changed",
    noun: "records changed",
    series: [
      { key: "created", label: "Created", color: css("brand-700"), swatch: "bg-brand-700" },
      { key: "updated", label: "Updated", color: css("sky-400"), swatch: "bg-sky-400" },
      { key: "deleted", label: "Deleted", color: css("amber-500"), swatch: "bg-amber-500" },
    ],
  },
  requests: {
    title: "Platform requests",
    noun: "platform requests",
    series: [
      { key: "requests", label: "Requests", color: css("brand-500"), swatch: "bg-brand-500" },
      { key: "rate_limited", label: "429s", color: css("amber-500"), swatch: "bg-amber-500" },
    ],
    line: "rate_limited",
  },
  deliveries: {
    title: "Webhook deliveries",
    noun: "deliveries",
    series: [
      { key: "delivered", label: "Delivered", color: css("emerald-500"), swatch: "bg-emerald-500" },
      { key: "retrying", label: "Retrying", color: css("amber-400"), swatch: "bg-amber-400" },
      { key: "failed", label: "Failed", color: css("red-500"), swatch: "bg-red-500" },
    ],
  },
};

export const RANGE_LABELS: Record<MetricRange, { button: string; phrase: string }> = {
  "24h": { button: "24 h", phrase: "the last 24 hours, per hour" },
  "7d": { button: "7 d", phrase: "the last 7 days, per 6 hours" },
  "30d": { button: "30 d", phrase: "the last 30 days, per day" },
};

const iso = (start: string) => new Date(start).toISOString();

/** An axis tick in UTC, 24-hour: "13:00" within a day, "11-22" for blocks and days. */
export function tickLabel(start: string, range: MetricRange): string {
  return range === "24h" ? iso(start).slice(11, 16) : iso(start).slice(5, 10);
}

/** A bucket as a tooltip names it: "2026-11-22 06:00–12:00 UTC", or the day for daily buckets. */
export function bucketLabel(start: string, bucketMs: number): string {
  const from = iso(start);
  if (bucketMs >= 24 * 3600_000) return `${from.slice(0, 10)} (UTC day)`;
  const end = new Date(new Date(start).getTime() + bucketMs).toISOString().slice(11, 16);
  return `${from.slice(0, 10)} ${from.slice(11, 16)}–${end === "00:00" ? "24:00" : end} UTC`;
}
