"use client";
// <SyncTimeline connectionId={id} />: the connection's batches and runs per object over time, with
// zoom presets, drag-to-zoom and a reset; live while a run is going on (use-timeline.ts).
import { useId, useState } from "react";
import { plural } from "@/lib/format";
import { OUTCOME_STYLE } from "./outcome";
import { describeProgress, runProgress } from "./progress";
import { RunsTable } from "./runs-table";
import { formatWindow } from "./scale";
import { TimelineChart } from "./timeline-chart";
import { ZOOM_PRESETS, useTimeline, type TimelineView } from "./use-timeline";

export function SyncTimeline({ connectionId }: { connectionId: string }) {
  const headingId = useId();
  const [view, setView] = useState<TimelineView>({ preset: "all" });
  const [history, setHistory] = useState<TimelineView[]>([]);
  const query = useTimeline(connectionId, view);
  const timeline = query.data;
  const custom = !("preset" in view);

  const zoomTo = (next: TimelineView) => {
    setHistory((previous) => [...previous.slice(-20), view]);
    setView(next);
  };
  const reset = () => {
    setHistory([]);
    setView({ preset: "all" });
  };
  const back = () => {
    setView(history.at(-1) ?? { preset: "all" });
    setHistory((previous) => previous.slice(0, -1));
  };

  const drawn = timeline ? timeline.lanes.reduce((total, lane) => total + lane.segments.length, 0) + (timeline.density?.buckets.length ?? 0) : 0;
  const neverRan = timeline && !timeline.firstRunAt && drawn === 0;
  const windowText = timeline ? formatWindow(new Date(timeline.window.from).getTime(), new Date(timeline.window.to).getTime()) : "";
  const summary = timeline ? `${plural(timeline.runsInWindow, "run")} in ${windowText}` : "";

  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-surface shadow-sm" data-testid="sync-timeline">
      <header className="flex flex-wrap items-center justify-between gap-x-4 gap-y-3 border-b border-slate-100 px-5 py-3.5">
        <div className="min-w-0">
          <div className="flex items-center gap-2.5">
            <h2 id={headingId} className="text-sm font-semibold text-slate-900">
              Sync timeline
            </h2>
            {timeline?.active && (
              <span className="inline-flex items-center gap-1.5 rounded-full bg-brand-50 px-2 py-0.5 text-[11px] font-medium text-brand-700">
                <span className="relative flex size-1.5">
                  <span className="absolute inline-flex size-full rounded-full bg-brand-500 opacity-75 motion-safe:animate-ping" />
                  <span className="relative inline-flex size-1.5 rounded-full bg-brand-500" />
                </span>
                Live
              </span>
            )}
          </div>
          <p className="mt-0.5 truncate text-sm text-slate-500" aria-live="polite">
            {timeline ? summary : "Batches and runs per object over time"}
            {query.isFetching && timeline && !query.isRefetching ? <span className="text-slate-400"> · loading…</span> : null}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {custom && (
            <>
              <button
                type="button"
                onClick={back}
                className="rounded-md px-2.5 py-1.5 text-xs font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900"
              >
                ← Back
              </button>
              <button
                type="button"
                onClick={reset}
                className="rounded-md border border-slate-200 px-2.5 py-1.5 text-xs font-medium text-slate-700 shadow-sm hover:bg-slate-50"
              >
                Reset zoom
              </button>
            </>
          )}
          <div role="group" aria-label="Zoom" className="inline-flex rounded-lg bg-slate-100 p-0.5">
            {ZOOM_PRESETS.map((preset) => {
              const selected = "preset" in view && view.preset === preset.key;
              return (
                <button
                  key={preset.key}
                  type="button"
                  title={preset.title}
                  aria-pressed={selected}
                  onClick={() => zoomTo({ preset: preset.key })}
                  className={`rounded-md px-2.5 py-1 text-xs font-medium tabular-nums transition-colors ${selected ? "bg-surface text-slate-900 shadow-sm ring-1 ring-slate-200" : "text-slate-600 hover:text-slate-900"}`}
                >
                  {preset.label}
                </button>
              );
            })}
          </div>
        </div>
      </header>

      <div className="px-5 pb-3 pt-2">
        {query.isPending ? (
          <TimelineSkeleton />
        ) : query.isError && !timeline ? (
          <div role="alert" className="flex flex-col items-center gap-3 rounded-md border border-rose-200 bg-rose-50/60 px-6 py-10 text-center">
            <p className="text-sm font-medium text-rose-800">The timeline could not be loaded</p>
            <p className="max-w-md text-sm text-rose-700">{query.error.message}</p>
            <button
              type="button"
              onClick={() => query.refetch()}
              className="rounded-md bg-surface px-3 py-1.5 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
            >
              Retry
            </button>
          </div>
        ) : neverRan ? (
          <div className="flex flex-col items-center rounded-md border border-dashed border-slate-300 px-6 py-12 text-center">
            <span aria-hidden className="mb-3 flex size-9 items-center justify-center rounded-full bg-brand-50">
              <span className="size-2 rounded-full bg-brand-500 motion-safe:animate-pulse" />
            </span>
            <p className="text-sm font-semibold text-slate-900">No syncs yet — the initial batch starts within a minute of connecting</p>
            <p className="mt-1 max-w-md text-sm text-slate-500">Its bars appear here as it runs, one lane per object, and this chart updates by itself.</p>
          </div>
        ) : timeline ? (
          <>
            {query.isError && (
              <p role="alert" className="mb-2 flex items-center gap-2 text-xs text-rose-700">
                Could not refresh: {query.error.message}
                <button type="button" onClick={() => query.refetch()} className="font-medium underline">
                  Retry
                </button>
              </p>
            )}
            <Progress timeline={timeline} />
            {drawn === 0 ? (
              <div className="flex flex-col items-center rounded-md border border-dashed border-slate-300 px-6 py-10 text-center">
                <p className="text-sm font-medium text-slate-900">No runs in this window</p>
                <p className="mt-1 text-sm text-slate-500">{windowText}</p>
                <button
                  type="button"
                  onClick={reset}
                  className="mt-4 rounded-md bg-surface px-3 py-1.5 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
                >
                  Show the whole history
                </button>
              </div>
            ) : (
              <TimelineChart
                timeline={timeline}
                busy={query.isFetching && !query.isRefetching}
                onZoom={(from, to) => zoomTo({ from: Math.round(from), to: Math.round(to) })}
              />
            )}
            <RunsTable timeline={timeline} caption={`Sync runs, ${summary}`} />
            <Legend timeline={timeline} />
          </>
        ) : null}
      </div>
    </section>
  );
}

/** The objects being fetched now: records so far of the platform's count, and the time left at the observed rate. */
function Progress({ timeline }: { timeline: NonNullable<ReturnType<typeof useTimeline>["data"]> }) {
  const now = new Date(timeline.now).getTime();
  const running = timeline.lanes.slice(1).flatMap((lane) => lane.segments.filter((segment) => segment.open && segment.progress));
  if (!running.length) return null;
  return (
    <ul aria-label="Progress" className="mb-2 space-y-2">
      {running.map((segment) => {
        const progress = runProgress({ seen: segment.progress!.seen, total: segment.progress!.total, elapsedMs: now - new Date(segment.start).getTime() });
        const text = describeProgress(progress);
        return (
          <li key={segment.id} className="rounded-md bg-slate-50 px-3 py-2 ring-1 ring-inset ring-slate-200" data-testid="run-progress">
            <p className="flex flex-wrap items-baseline justify-between gap-x-3 text-xs">
              <span className="font-medium text-slate-900">
                {segment.runLabel} · {segment.object}
              </span>
              <span className="tabular-nums text-slate-600">{text}</span>
            </p>
            {progress.share !== null && (
              <div
                role="progressbar"
                aria-label={`${segment.runLabel}, ${segment.object}`}
                aria-valuemin={0}
                aria-valuemax={progress.total!}
                aria-valuenow={progress.seen}
                aria-valuetext={text}
                className="mt-1.5 h-1.5 overflow-hidden rounded-full bg-slate-200"
              >
                <div className="h-full rounded-full bg-brand-500 transition-[width] duration-500" style={{ width: `${Math.max(1, progress.share * 100)}%` }} />
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function Legend({ timeline }: { timeline: NonNullable<ReturnType<typeof useTimeline>["data"]> }) {
  return (
    <div className="mt-3 flex flex-wrap items-center justify-between gap-x-6 gap-y-2 border-t border-slate-100 pt-3 text-xs text-slate-500">
      <ul className="flex flex-wrap items-center gap-x-4 gap-y-1.5" aria-label="Legend">
        {(["succeeded", "failed", "running", "cancelled"] as const).map((outcome) => (
          <li key={outcome} className="inline-flex items-center gap-1.5">
            <span aria-hidden className={`h-2.5 w-3.5 rounded-sm ${OUTCOME_STYLE[outcome].dot}`} />
            {OUTCOME_STYLE[outcome].label}
          </li>
        ))}
        <li className="inline-flex items-center gap-1.5">
          <span
            aria-hidden
            className="h-2.5 w-3.5 rounded-sm border border-amber-500 bg-[repeating-linear-gradient(45deg,var(--color-amber-500)_0_2px,var(--color-amber-50)_2px_4px)]"
          />
          Rate-limit pause
        </li>
        {timeline.density && (
          <li className="inline-flex items-center gap-1.5">
            <span aria-hidden className="flex h-2.5 items-end gap-px">
              <span className="h-1 w-1 rounded-[1px] bg-emerald-500/80" />
              <span className="h-2.5 w-1 rounded-[1px] bg-emerald-500/80" />
              <span className="h-1.5 w-1 rounded-[1px] bg-emerald-500/80" />
            </span>
            Runs per {bucketWords(timeline.density.bucketMs)}
          </li>
        )}
      </ul>
      <p>
        {timeline.truncated ? "Only the latest 400 runs are drawn · " : ""}Drag across the chart to zoom · <kbd className="font-sans">Ctrl</kbd>/
        <kbd className="font-sans">⌘</kbd> + scroll · times in UTC
      </p>
    </div>
  );
}

function bucketWords(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes % 1440 === 0) return minutes === 1440 ? "day" : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? "hour" : `${minutes / 60} hours`;
  return `${minutes} minutes`;
}

function TimelineSkeleton() {
  return (
    <div className="animate-pulse overflow-hidden" aria-busy="true" aria-label="Loading the sync timeline">
      <div className="mb-3 flex gap-16 pl-44 pt-2">
        {Array.from({ length: 6 }, (_, index) => (
          <div key={index} className="h-2.5 w-10 rounded bg-slate-100" />
        ))}
      </div>
      {[0.55, 0.3, 0.45, 0.7, 0.35].map((share, index) => (
        <div key={index} className="flex items-center gap-4 py-2">
          <div className="h-3 w-32 shrink-0 rounded bg-slate-100" />
          <div className="h-3.5 rounded bg-slate-100" style={{ marginLeft: `${index * 6}%`, width: `${share * 60}%` }} />
        </div>
      ))}
    </div>
  );
}
