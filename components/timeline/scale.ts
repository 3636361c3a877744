// The timeline's time axis: d3's UTC time scale from a window to pixels, and its ticks, at d3's
// "nice" UTC intervals (seconds → minutes → hours → days → weeks → months → years) as many as fit
// about 100 px apart, labelled here. Times are shown in UTC, like everywhere else on the dashboard
// (lib/format.ts).
import { scaleUtc } from "d3-scale";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const TIME = { SECOND, MINUTE, HOUR, DAY } as const;

export interface Scale {
  from: number;
  to: number;
  width: number;
  x(time: number): number;
  time(x: number): number;
}

export function timeScale(from: number, to: number, width: number): Scale {
  // A window of no length still spans a millisecond, as an axis of no width still has a pixel.
  const scale = scaleUtc()
    .domain([from, Math.max(to, from + 1)])
    .range([0, width]);
  return {
    from,
    to,
    width,
    x: (time) => scale(time),
    time: (x) => (width > 0 ? scale.invert(x).getTime() : from),
  };
}

export interface Tick {
  time: number;
  label: string;
  /** A day or year boundary: drawn a little stronger. */
  major: boolean;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (value: number) => String(value).padStart(2, "0");

export function formatDay(time: number): string {
  const date = new Date(time);
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}`;
}

export function formatClock(time: number, seconds = false): string {
  const date = new Date(time);
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}${seconds ? `:${pad(date.getUTCSeconds())}` : ""}`;
}

/** "Nov 23, 09:14:05 UTC". */
export function formatInstant(time: number): string {
  return `${formatDay(time)}, ${formatClock(time, true)} UTC`;
}

/** A window as words: "Nov 22, 12:00 – Nov 23, 12:00 UTC", "2025-11-23 – 2026-11-23". */
export function formatWindow(from: number, to: number): string {
  const year = (time: number) => new Date(time).getUTCFullYear();
  if (to - from > 60 * DAY) return `${formatDay(from)}, ${year(from)} – ${formatDay(to)}, ${year(to)}`;
  return `${formatDay(from)}, ${formatClock(from)} – ${formatDay(to)}, ${formatClock(to)} UTC`;
}

export function ticks(scale: Scale, minSpacingPx = 96): Tick[] {
  const count = Math.max(2, Math.floor(scale.width / minSpacingPx));
  const times = scaleUtc()
    .domain([scale.from, Math.max(scale.to, scale.from + 1)])
    .ticks(count)
    .map((date) => date.getTime());
  const step = times.length > 1 ? times[1] - times[0] : DAY;
  return times.map((time) => {
    const date = new Date(time);
    if (step >= 28 * DAY) {
      // Month ticks: the year at January, the month's name otherwise.
      const january = date.getUTCMonth() === 0;
      return { time, label: january ? String(date.getUTCFullYear()) : MONTHS[date.getUTCMonth()], major: january };
    }
    const midnight = date.getUTCHours() === 0 && date.getUTCMinutes() === 0 && date.getUTCSeconds() === 0;
    const label = step >= DAY || midnight ? formatDay(time) : formatClock(time, step < MINUTE);
    return { time, label, major: midnight && step < DAY };
  });
}

/** "850 ms", "42 s", "3 min 5 s", "2 h 10 min", "3 d 4 h". */
export function formatSpan(ms: number): string {
  if (ms < SECOND) return `${Math.round(ms)} ms`;
  if (ms < MINUTE) return `${Math.round(ms / SECOND)} s`;
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min ${Math.round((ms % MINUTE) / SECOND)} s`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h ${Math.round((ms % HOUR) / MINUTE)} min`;
  return `${Math.floor(ms / DAY)} d ${Math.round((ms % DAY) / HOUR)} h`;
}
