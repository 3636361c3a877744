"use client";
// The dashboard's time-series charts (lib/metrics) for one scope: a range switch shared by the
// scope's charts and one card per chart, drawn with recharts once the page has hydrated (recharts
// measures the DOM, so the server renders the same placeholder the client starts from).
import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Bar, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { getDashboardJson } from "@/lib/dashboard/fetch-json";
import { useHydrated } from "@/components/ui/hydration";
import { formatCompact, formatCount } from "@/lib/format";
import { METRIC_RANGES, type ChartData, type ChartKind, type MetricRange, type Metrics } from "@/lib/metrics/ranges";
import { bucketLabel, CHART_STYLES, RANGE_LABELS, tickLabel } from "./series";

export type MetricChartsScope = { kind: "environment" } | { kind: "connection" | "endpoint"; id: string };

const CHART_HEIGHT = 180;

function metricsUrl(scope: MetricChartsScope, range: MetricRange): string {
  const search = new URLSearchParams({ range, scope: scope.kind });
  if ("id" in scope) search.set("id", scope.id);
  return `/api/dashboard/metrics?${search}`;
}

/** The charts of a scope, with their range switch. */
export function MetricCharts({ scope, charts, title = "Activity" }: { scope: MetricChartsScope; charts: ChartKind[]; title?: string }) {
  const [range, setRange] = useState<MetricRange>("24h");
  const hydrated = useHydrated();
  const query = useQuery({
    queryKey: ["metrics", scope.kind, "id" in scope ? scope.id : null, range],
    queryFn: ({ signal }) => getDashboardJson<Metrics>(metricsUrl(scope, range), signal),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  const metrics = query.data;
  return (
    <section aria-label={title} data-testid="metric-charts">
      <header className="mb-3 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 className="text-sm font-semibold text-slate-900">{title}</h2>
          <p className="mt-0.5 text-sm text-slate-500">Over {RANGE_LABELS[range].phrase}; times in UTC.</p>
        </div>
        <div role="group" aria-label="Chart range" className="inline-flex rounded-lg bg-slate-100 p-0.5">
          {METRIC_RANGES.map((option) => (
            <button
              key={option}
              type="button"
              aria-pressed={range === option}
              disabled={!hydrated}
              onClick={() => setRange(option)}
              className={`rounded-md px-2.5 py-1 text-xs font-medium tabular-nums transition-colors ${range === option ? "bg-surface text-slate-900 shadow-sm ring-1 ring-slate-200" : "text-slate-600 hover:text-slate-900"}`}
            >
              {RANGE_LABELS[option].button}
            </button>
          ))}
        </div>
      </header>
      {query.isError && !metrics && (
        <p role="alert" className="mb-3 text-sm text-red-700">
          {query.error.message}
        </p>
      )}
      <div className={`grid gap-4 ${charts.length > 1 ? "lg:grid-cols-2" : ""}`}>
        {charts.map((kind) => (
          <ChartCard
            key={kind}
            kind={kind}
            range={metrics?.range ?? range}
            bucketMs={metrics?.bucketMs ?? 0}
            data={hydrated ? (metrics?.charts[kind] as ChartData | undefined) : undefined}
            loading={!hydrated || (query.isPending && !query.isError)}
            stale={query.isPlaceholderData}
          />
        ))}
      </div>
    </section>
  );
}

function ChartCard({
  kind,
  range,
  bucketMs,
  data,
  loading,
  stale,
}: {
  kind: ChartKind;
  range: MetricRange;
  bucketMs: number;
  data: ChartData | undefined;
  loading: boolean;
  stale: boolean;
}) {
  const style = CHART_STYLES[kind];
  const totals = data?.totals as Record<string, number> | undefined;
  const empty = totals !== undefined && Object.values(totals).every((value) => value === 0);
  const summary = totals ? style.series.map((s) => `${formatCount(totals[s.key])} ${s.label.toLowerCase()}`).join(", ") : "";
  return (
    <figure className="min-w-0 rounded-lg border border-slate-200 bg-surface px-4 py-3 shadow-sm" data-chart={kind} aria-busy={loading || stale}>
      <figcaption className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <span className="text-sm font-medium text-slate-900">{style.title}</span>
        <ul className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-600" aria-label={`${style.title} totals`}>
          {style.series.map((s) => (
            <li key={s.key} className="flex items-center gap-1.5">
              <span aria-hidden className={`inline-block h-2 w-2 rounded-sm ${s.swatch}`} />
              {s.label}
              <span className="font-medium tabular-nums text-slate-900" data-total={s.key}>
                {totals ? formatCount(totals[s.key]) : "—"}
              </span>
            </li>
          ))}
        </ul>
      </figcaption>
      {/* The totals in words for screen readers; the drawing itself is hidden from them. */}
      {totals && (
        <p className="sr-only">
          {style.title} over {RANGE_LABELS[range].phrase}: {summary}.
        </p>
      )}
      <div className="mt-3" style={{ height: CHART_HEIGHT }}>
        {loading || !data ? (
          <div className="flex h-full animate-pulse items-center justify-center rounded-md bg-slate-100 text-xs text-slate-500">Loading chart…</div>
        ) : empty ? (
          <div className="flex h-full items-center justify-center rounded-md border border-dashed border-slate-200 px-4 text-center text-sm text-slate-500">
            No {style.noun} in {RANGE_LABELS[range].phrase.replace(/, per .*/, "")}.
          </div>
        ) : (
          <div aria-hidden className={`h-full ${stale ? "opacity-60" : ""}`}>
            <StackedChart kind={kind} range={range} bucketMs={bucketMs} data={data} />
          </div>
        )}
      </div>
    </figure>
  );
}

function StackedChart({ kind, range, bucketMs, data }: { kind: ChartKind; range: MetricRange; bucketMs: number; data: ChartData }) {
  const style = CHART_STYLES[kind];
  const labels = Object.fromEntries(style.series.map((s) => [s.key, s.label]));
  const bars = style.series.filter((s) => s.key !== style.line);
  const line = style.series.find((s) => s.key === style.line);
  // Six-hour blocks are labelled once a day, at their 00:00 block.
  const ticks = range === "7d" ? data.buckets.filter((b) => b.start.slice(11, 13) === "00").map((b) => b.start) : undefined;
  const axis = { fontSize: 11, fill: "var(--color-slate-500)" };
  return (
    <ResponsiveContainer width="100%" height="100%" minWidth={0}>
      <ComposedChart data={data.buckets} margin={{ top: 4, right: line ? 0 : 4, bottom: 0, left: -12 }} barCategoryGap="15%">
        <CartesianGrid vertical={false} stroke="var(--color-slate-200)" />
        <XAxis
          dataKey="start"
          ticks={ticks}
          tickFormatter={(start: string) => tickLabel(start, range)}
          tick={axis}
          tickLine={false}
          axisLine={{ stroke: "var(--color-slate-300)" }}
          minTickGap={12}
        />
        <YAxis
          yAxisId="left"
          allowDecimals={false}
          tickFormatter={(value: number) => formatCompact(value)}
          tick={axis}
          tickLine={false}
          axisLine={false}
          width={44}
        />
        {line && (
          <YAxis
            yAxisId="right"
            orientation="right"
            allowDecimals={false}
            tickFormatter={(value: number) => formatCompact(value)}
            tick={{ ...axis, fill: line.color }}
            tickLine={false}
            axisLine={false}
            width={36}
          />
        )}
        <Tooltip
          cursor={{ fill: "var(--color-slate-100)" }}
          labelFormatter={(start) => bucketLabel(String(start), bucketMs)}
          formatter={(value, name) => [formatCount(Number(value)), labels[String(name)] ?? String(name)]}
          contentStyle={{
            background: "var(--color-white)",
            border: "1px solid var(--color-slate-200)",
            borderRadius: 6,
            fontSize: 12,
            color: "var(--color-slate-900)",
          }}
          labelStyle={{ color: "var(--color-slate-900)", fontWeight: 500 }}
        />
        {bars.map((s, index) => (
          <Bar
            key={s.key}
            yAxisId="left"
            dataKey={s.key}
            name={s.key}
            stackId="stack"
            fill={s.color}
            isAnimationActive={false}
            radius={index === bars.length - 1 ? [2, 2, 0, 0] : 0}
          />
        ))}
        {line && (
          <Line yAxisId="right" type="monotone" dataKey={line.key} name={line.key} stroke={line.color} strokeWidth={2} dot={false} isAnimationActive={false} />
        )}
      </ComposedChart>
    </ResponsiveContainer>
  );
}
