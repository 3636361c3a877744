// The timeline's time axis: a linear scale from a window to pixels, and tick marks whose step grows
// with the window (minutes → hours → days → months) so labels stay about 100 px apart. Times are
// shown in UTC, like everywhere else on the dashboard (lib/format.ts).
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
  const span = Math.max(1, to - from);
  return {
    from,
    to,
    width,
    x: (time) => ((time - from) / span) * width,
    time: (x) => from + (x / Math.max(1, width)) * span,
  };
}

type Step = { unit: "ms"; size: number } | { unit: "month"; months: number };

const FIXED_STEPS = [
  10 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
];
const MONTH_STEPS = [1, 2, 3, 6, 12];

function pickStep(span: number, maxTicks: number): Step {
  const fixed = FIXED_STEPS.find((size) => span / size <= maxTicks);
  if (fixed) return { unit: "ms", size: fixed };
  const months = MONTH_STEPS.find((count) => span / (count * 30 * DAY) <= maxTicks) ?? 24;
  return { unit: "month", months };
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
  const maxTicks = Math.max(2, Math.floor(scale.width / minSpacingPx));
  const step = pickStep(scale.to - scale.from, maxTicks);
  const result: Tick[] = [];
  if (step.unit === "ms") {
    for (let time = Math.ceil(scale.from / step.size) * step.size; time <= scale.to; time += step.size) {
      const date = new Date(time);
      const midnight = date.getUTCHours() === 0 && date.getUTCMinutes() === 0 && date.getUTCSeconds() === 0;
      const label = step.size >= DAY || midnight ? formatDay(time) : formatClock(time, step.size < MINUTE);
      result.push({ time, label, major: midnight && step.size < DAY });
    }
    return result;
  }
  const start = new Date(scale.from);
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth() + 1;
  month = Math.ceil(month / step.months) * step.months;
  for (;;) {
    while (month >= 12) {
      month -= 12;
      year += 1;
    }
    const time = Date.UTC(year, month, 1);
    if (time > scale.to) break;
    if (time >= scale.from) result.push({ time, label: month === 0 ? String(year) : MONTHS[month], major: month === 0 });
    month += step.months;
  }
  return result;
}

/** "850 ms", "42 s", "3 min 5 s", "2 h 10 min", "3 d 4 h". */
export function formatSpan(ms: number): string {
  if (ms < SECOND) return `${Math.round(ms)} ms`;
  if (ms < MINUTE) return `${Math.round(ms / SECOND)} s`;
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min ${Math.round((ms % MINUTE) / SECOND)} s`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h ${Math.round((ms % HOUR) / MINUTE)} min`;
  return `${Math.floor(ms / DAY)} d ${Math.round((ms % DAY) / HOUR)} h`;
}
