"use client";
// The timeline drawn in SVG: a UTC time axis, one lane per run kind and object, bars from start to
// end coloured by outcome, rate-limit pauses hatched, the frequent runs of long windows as a density
// strip. Hover or keyboard focus shows a bar's statistics; dragging across the plot (or Ctrl/⌘ +
// wheel) zooms. The bars are one tab stop: arrow keys move between them (roving tabindex).
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode, type WheelEvent } from "react";
import type { DensityBucket, SyncTimeline, TimelineSegment } from "@/lib/presenters/timeline";
import { OUTCOME_STYLE } from "./outcome";
import { formatClock, formatDay, ticks, timeScale, TIME, type Scale } from "./scale";
import { BucketTooltip, SegmentTooltip, bucketLabel, segmentLabel } from "./tooltip";

const AXIS_HEIGHT = 28;
const RUN_LANE = 36;
const OBJECT_LANE = 28;
const MIN_BAR = 3;
const MIN_ZOOM_MS = TIME.MINUTE;

interface Lane {
  key: string;
  label: string;
  hint?: string;
  height: number;
  y: number;
}

type Mark =
  | { id: string; lane: number; x: number; width: number; type: "segment"; segment: TimelineSegment }
  | { id: string; lane: number; x: number; width: number; type: "bucket"; bucket: DensityBucket; intensity: number };

const ms = (value: string) => new Date(value).getTime();

function useWidth<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

function layoutLanes(timeline: SyncTimeline): Lane[] {
  const lanes: Lane[] = [];
  let y = AXIS_HEIGHT;
  const add = (key: string, label: string, height: number, hint?: string) => {
    lanes.push({ key, label, height, y, hint });
    y += height;
  };
  add("runs", timeline.density ? "Batches & syncs" : "Runs", RUN_LANE, "Whole runs");
  if (timeline.density) add("density", timeline.density.label, RUN_LANE, `${timeline.density.runs.toLocaleString("en-US")} runs`);
  for (const lane of timeline.lanes.slice(1)) add(lane.key, lane.label, OBJECT_LANE);
  return lanes;
}

function buildMarks(timeline: SyncTimeline, lanes: Lane[], scale: Scale): Mark[] {
  const marks: Mark[] = [];
  const clip = (start: number, end: number) => {
    const x0 = Math.max(-2, scale.x(start));
    const x1 = Math.min(scale.width + 2, scale.x(end));
    return { x: x0, width: Math.max(MIN_BAR, x1 - x0) };
  };
  timeline.lanes.forEach((lane, index) => {
    const laneIndex = index === 0 ? 0 : index + (timeline.density ? 1 : 0);
    for (const segment of lane.segments) {
      if (ms(segment.end) < scale.from || ms(segment.start) > scale.to) continue;
      marks.push({ id: segment.id, lane: laneIndex, type: "segment", segment, ...clip(ms(segment.start), ms(segment.end)) });
    }
  });
  if (timeline.density) {
    const busiest = Math.max(1, ...timeline.density.buckets.map((bucket) => bucket.runs));
    for (const bucket of timeline.density.buckets) {
      const { x, width } = clip(ms(bucket.start), ms(bucket.end));
      marks.push({
        id: `bucket:${bucket.start}`,
        lane: 1,
        type: "bucket",
        bucket,
        x: x + 0.5,
        width: Math.max(1, width - 1),
        intensity: bucket.runs / busiest,
      });
    }
  }
  void lanes;
  return marks.sort((a, b) => a.lane - b.lane || a.x - b.x);
}

export function TimelineChart({ timeline, onZoom, busy }: { timeline: SyncTimeline; onZoom: (from: number, to: number) => void; busy: boolean }) {
  const ids = useId().replace(/:/g, "");
  const [plotRef, width] = useWidth<HTMLDivElement>();
  const from = ms(timeline.window.from);
  const to = ms(timeline.window.to);
  const now = ms(timeline.now);
  const scale = useMemo(() => timeScale(from, to, Math.max(1, width)), [from, to, width]);
  const lanes = useMemo(() => layoutLanes(timeline), [timeline]);
  const marks = useMemo(() => buildMarks(timeline, lanes, scale), [timeline, lanes, scale]);
  const height = lanes.length ? lanes.at(-1)!.y + lanes.at(-1)!.height : AXIS_HEIGHT;
  const axisTicks = useMemo(() => (width > 0 ? ticks(scale) : []), [scale, width]);

  const [hovered, setHovered] = useState<string | null>(null);
  const [focused, setFocused] = useState<string | null>(null);
  const [tabStop, setTabStop] = useState<string | null>(null);
  const [drag, setDrag] = useState<{ start: number; end: number } | null>(null);
  const markRefs = useRef(new Map<string, SVGGElement>());

  // The tab stop follows the data: the latest run, unless the one chosen is still drawn.
  const currentStop = marks.some((mark) => mark.id === tabStop) ? tabStop : (marks.filter((mark) => mark.lane === 0).at(-1)?.id ?? marks[0]?.id ?? null);
  const shown = marks.find((mark) => mark.id === (hovered ?? focused)) ?? null;

  useEffect(() => {
    if (focused) markRefs.current.get(focused)?.focus();
  }, [focused]);

  const move = (event: KeyboardEvent, mark: Mark) => {
    const inLane = marks.filter((other) => other.lane === mark.lane);
    const index = inLane.indexOf(mark);
    let next: Mark | undefined;
    if (event.key === "ArrowRight") next = inLane[index + 1];
    else if (event.key === "ArrowLeft") next = inLane[index - 1];
    else if (event.key === "Home") next = inLane[0];
    else if (event.key === "End") next = inLane.at(-1);
    else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const lanesWithMarks = [...new Set(marks.map((other) => other.lane))];
      const lane = lanesWithMarks[lanesWithMarks.indexOf(mark.lane) + (event.key === "ArrowDown" ? 1 : -1)];
      const center = mark.x + mark.width / 2;
      next = marks.filter((other) => other.lane === lane).sort((a, b) => Math.abs(a.x + a.width / 2 - center) - Math.abs(b.x + b.width / 2 - center))[0];
    } else if (event.key === "Enter" && mark.type === "bucket") {
      onZoom(ms(mark.bucket.start), ms(mark.bucket.end));
    } else if (event.key === "Escape") {
      setFocused(null);
      (event.target as SVGGElement).blur();
      return;
    } else return;
    event.preventDefault();
    if (next) {
      setTabStop(next.id);
      setFocused(next.id);
    }
  };

  const plotX = (event: PointerEvent | WheelEvent) => event.clientX - (plotRef.current?.getBoundingClientRect().left ?? 0);
  const onPointerDown = (event: PointerEvent<SVGSVGElement>) => {
    if (event.button !== 0) return;
    const x = plotX(event);
    setDrag({ start: x, end: x });
    event.currentTarget.setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    if (drag) setDrag({ ...drag, end: Math.max(0, Math.min(width, plotX(event))) });
  };
  const onPointerUp = () => {
    if (!drag) return;
    setDrag(null);
    const [x0, x1] = [Math.min(drag.start, drag.end), Math.max(drag.start, drag.end)];
    if (x1 - x0 < 6) return;
    const [t0, t1] = [scale.time(x0), scale.time(x1)];
    const center = (t0 + t1) / 2;
    const span = Math.max(MIN_ZOOM_MS, t1 - t0);
    onZoom(center - span / 2, center + span / 2);
  };
  const onWheel = (event: WheelEvent<SVGSVGElement>) => {
    if (!event.ctrlKey && !event.metaKey) return;
    event.preventDefault();
    const anchor = scale.time(plotX(event));
    const factor = event.deltaY > 0 ? 1.5 : 1 / 1.5;
    const span = Math.max(MIN_ZOOM_MS, (to - from) * factor);
    const ratio = (anchor - from) / (to - from);
    onZoom(anchor - span * ratio, anchor + span * (1 - ratio));
  };

  const tooltip = shown && width > 0 ? tooltipPosition(shown, lanes, width) : null;
  const nowX = scale.x(now);

  return (
    <div className="flex">
      <div className="w-40 shrink-0 border-r border-slate-100 pr-3" aria-hidden>
        <div style={{ height: AXIS_HEIGHT }} />
        {lanes.map((lane) => (
          <div key={lane.key} style={{ height: lane.height }} className="flex flex-col justify-center">
            <span
              className={`truncate text-xs ${lane.key === "runs" || lane.key === "density" ? "font-semibold text-slate-800" : "font-medium text-slate-600"}`}
            >
              {lane.label}
            </span>
            {lane.key === "density" && lane.hint && <span className="truncate text-[11px] leading-tight text-slate-400">{lane.hint}</span>}
          </div>
        ))}
      </div>
      <div ref={plotRef} className="relative min-w-0 flex-1 pl-px">
        {width > 0 && (
          <svg
            width={width}
            height={height}
            className={`block touch-none select-none ${drag ? "cursor-col-resize" : "cursor-crosshair"} ${busy ? "opacity-70 transition-opacity" : "transition-opacity"}`}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerCancel={() => setDrag(null)}
            onWheel={onWheel}
            role="group"
            aria-label="Sync timeline: use the arrow keys to move between runs"
          >
            <defs>
              <pattern id={`${ids}-hatch`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                <rect width="6" height="6" className="fill-amber-50" />
                <line x1="0" y1="0" x2="0" y2="6" strokeWidth="3" className="stroke-amber-500" />
              </pattern>
              <pattern id={`${ids}-stripes`} width="10" height="10" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">
                <line x1="0" y1="0" x2="0" y2="10" strokeWidth="4" className="stroke-white/25" />
              </pattern>
            </defs>

            {/* Lane backgrounds and grid */}
            {lanes.map((lane, index) => (
              <rect key={lane.key} x={0} y={lane.y} width={width} height={lane.height} className={index % 2 === 0 ? "fill-slate-50/70" : "fill-surface"} />
            ))}
            {axisTicks.map((tick) => (
              <g key={tick.time} className={scale.x(tick.time) > width - tick.label.length * 6.5 - 6 ? "[&>text]:hidden" : undefined}>
                <line
                  x1={scale.x(tick.time)}
                  x2={scale.x(tick.time)}
                  y1={AXIS_HEIGHT - 6}
                  y2={height}
                  className={tick.major ? "stroke-slate-300" : "stroke-slate-200/80"}
                  strokeDasharray={tick.major ? undefined : "2 3"}
                />
                <text
                  x={scale.x(tick.time) + 4}
                  y={AXIS_HEIGHT - 11}
                  className={`text-[11px] tabular-nums ${tick.major ? "fill-slate-700 font-medium" : "fill-slate-500"}`}
                >
                  {tick.label}
                </text>
              </g>
            ))}
            <line x1={0} x2={width} y1={AXIS_HEIGHT - 0.5} y2={AXIS_HEIGHT - 0.5} className="stroke-slate-200" />

            {marks.map((mark) => {
              const lane = lanes[mark.lane];
              const active = shown?.id === mark.id;
              const common = {
                ref: (element: SVGGElement | null) => {
                  if (element) markRefs.current.set(mark.id, element);
                  else markRefs.current.delete(mark.id);
                },
                tabIndex: mark.id === currentStop ? 0 : -1,
                role: "img",
                "data-mark": mark.type,
                "data-outcome": mark.type === "segment" ? mark.segment.outcome : undefined,
                onPointerEnter: () => setHovered(mark.id),
                onPointerLeave: () => setHovered((current) => (current === mark.id ? null : current)),
                onFocus: () => {
                  setFocused(mark.id);
                  setTabStop(mark.id);
                },
                onBlur: () => setFocused((current) => (current === mark.id ? null : current)),
                onKeyDown: (event: KeyboardEvent) => move(event, mark),
                className: "outline-none",
              } as const;
              if (mark.type === "bucket") {
                const barHeight = 6 + mark.intensity * (lane.height - 14);
                const y = lane.y + lane.height - 4 - barHeight;
                const failedShare = mark.bucket.runs ? (mark.bucket.failed + mark.bucket.cancelled) / mark.bucket.runs : 0;
                return (
                  <g key={mark.id} {...common} aria-label={bucketLabel(mark.bucket, timeline.density!.label)}>
                    <rect x={mark.x} y={lane.y + 2} width={mark.width} height={lane.height - 4} className="fill-transparent" />
                    <rect x={mark.x} y={y} width={mark.width} height={barHeight} rx={1.5} className={active ? "fill-emerald-600" : "fill-emerald-500/80"} />
                    {failedShare > 0 && (
                      <rect x={mark.x} y={y} width={mark.width} height={Math.max(2, barHeight * failedShare)} rx={1.5} className="fill-rose-500" />
                    )}
                    {active && (
                      <rect
                        x={mark.x - 1}
                        y={lane.y + 2}
                        width={mark.width + 2}
                        height={lane.height - 4}
                        rx={2}
                        className="fill-none stroke-slate-900"
                        strokeWidth={1.5}
                      />
                    )}
                  </g>
                );
              }
              const { segment } = mark;
              const runLane = mark.lane === 0;
              const barHeight = runLane ? 22 : 14;
              const y = lane.y + (lane.height - barHeight) / 2;
              const style = OUTCOME_STYLE[segment.outcome];
              const showLabel = runLane && mark.width > segment.runLabel.length * 6.4 + 14;
              return (
                <g key={mark.id} {...common} aria-label={segmentLabel(segment)}>
                  <rect
                    x={mark.x}
                    y={y}
                    width={mark.width}
                    height={barHeight}
                    rx={runLane ? 4 : 3}
                    className={`${style.bar} ${segment.outcome === "running" ? "motion-safe:animate-pulse" : ""}`}
                    opacity={shown && !active ? 0.85 : 1}
                  />
                  {segment.outcome === "running" && (
                    <rect x={mark.x} y={y} width={mark.width} height={barHeight} rx={runLane ? 4 : 3} fill={`url(#${ids}-stripes)`} pointerEvents="none" />
                  )}
                  {segment.pauses.map((pause) => {
                    const x0 = Math.max(mark.x, scale.x(ms(pause.start)));
                    const x1 = Math.min(mark.x + mark.width, scale.x(ms(pause.end)));
                    if (x1 - x0 < 0.5) return null;
                    return (
                      <g key={pause.start} pointerEvents="none">
                        <rect x={x0} y={y} width={Math.max(2, x1 - x0)} height={barHeight} fill={`url(#${ids}-hatch)`} />
                        <rect x={x0} y={y + 0.5} width={Math.max(2, x1 - x0)} height={barHeight - 1} className="fill-none stroke-amber-500" strokeWidth={1} />
                      </g>
                    );
                  })}
                  {showLabel && (
                    <text x={mark.x + 7} y={y + barHeight / 2 + 4} className={`pointer-events-none text-[11px] font-semibold ${style.onBar}`}>
                      {segment.runLabel}
                    </text>
                  )}
                  {active && (
                    <rect
                      x={mark.x - 1.5}
                      y={y - 1.5}
                      width={mark.width + 3}
                      height={barHeight + 3}
                      rx={runLane ? 5 : 4}
                      className="fill-none stroke-slate-900"
                      strokeWidth={1.5}
                    />
                  )}
                </g>
              );
            })}

            {nowX >= 0 && nowX <= width && (
              <g pointerEvents="none">
                <line x1={nowX} x2={nowX} y1={AXIS_HEIGHT} y2={height} className="stroke-brand-500/60" strokeDasharray="3 3" />
                <rect x={nowX - 15} y={AXIS_HEIGHT - 9} width={30} height={14} rx={7} className="fill-brand-600" />
                <text x={nowX} y={AXIS_HEIGHT + 1.5} textAnchor="middle" className="fill-white text-[9px] font-semibold uppercase tracking-wide">
                  Now
                </text>
              </g>
            )}
            {drag && Math.abs(drag.end - drag.start) > 2 && (
              <g pointerEvents="none">
                <rect
                  x={Math.min(drag.start, drag.end)}
                  y={AXIS_HEIGHT}
                  width={Math.abs(drag.end - drag.start)}
                  height={height - AXIS_HEIGHT}
                  className="fill-brand-500/10 stroke-brand-500"
                  strokeWidth={1}
                />
                <DragLabel
                  x={Math.min(drag.start, drag.end)}
                  text={`${formatDay(scale.time(Math.min(drag.start, drag.end)))} ${formatClock(scale.time(Math.min(drag.start, drag.end)))}`}
                />
              </g>
            )}
          </svg>
        )}
        {tooltip && shown && (
          <div
            role="tooltip"
            className="pointer-events-none scheme-light absolute z-20 w-72 rounded-lg bg-slate-900/95 px-3.5 py-3 text-xs shadow-xl ring-1 ring-black/5 backdrop-blur dark:ring-white/15"
            style={{ left: tooltip.left, top: tooltip.top, transform: tooltip.above ? "translateY(-100%)" : undefined }}
          >
            {shown.type === "segment" ? <SegmentTooltip segment={shown.segment} /> : <BucketTooltip bucket={shown.bucket} label={timeline.density!.label} />}
          </div>
        )}
      </div>
    </div>
  );
}

function DragLabel({ x, text }: { x: number; text: ReactNode }) {
  return (
    <text x={x + 4} y={AXIS_HEIGHT + 14} className="fill-brand-700 text-[11px] font-medium">
      {text}
    </text>
  );
}

const TOOLTIP_WIDTH = 288;

function tooltipPosition(mark: Mark, lanes: Lane[], width: number): { left: number; top: number; above: boolean } {
  const lane = lanes[mark.lane];
  const center = mark.x + mark.width / 2;
  const left = Math.max(0, Math.min(width - TOOLTIP_WIDTH, center - TOOLTIP_WIDTH / 2));
  // Below the bar for the top lanes, above it lower down, so it never covers the bar itself.
  const above = mark.lane >= 2;
  return { left, top: above ? lane.y - 6 : lane.y + lane.height + 6, above };
}
