// Standard five-field cron expressions (minute hour day-of-month month day-of-week), evaluated in
// UTC, for sync job cron triggers. `parseCron` validates an expression — every problem is a
// CronError naming its field — and returns a schedule whose `next(after)` finds the first matching
// minute strictly after an instant, skipping whole months, days and hours that cannot match.
// Supports `*`, numbers, `a-b`, `*/n`, `a-b/n`, `a/n`, lists, JAN-DEC and SUN-SAT (any case),
// day-of-week 0-7 (0 and 7 are Sunday) and the @hourly/@daily/@midnight/@weekly/@monthly/@yearly/
// @annually macros. Day-of-month and day-of-week follow Vixie cron: when both are restricted (neither
// starts with `*`) a day matching either one matches; otherwise a day must match both.

export class CronError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CronError";
  }
}

export interface CronSchedule {
  /** The expression, trimmed and with single spaces between fields (macros lower-cased). */
  expression: string;
  /** The first matching minute strictly after `after` (its seconds and milliseconds are 0). */
  next(after: Date): Date;
  /** Short English, e.g. "every 15 minutes", "at 09:00 UTC on Monday". */
  describe(): string;
}

type FieldName = "minute" | "hour" | "day-of-month" | "month" | "day-of-week";

interface FieldSpec {
  name: FieldName;
  min: number;
  max: number;
  /** Where `*` and `a/n` stop; day-of-week stops at 6 so `*` and `1/2` do not count Sunday twice. */
  wildcardMax: number;
  /** Three-letter names: `names[i]` stands for the value `i + nameBase`. */
  names?: readonly string[];
  nameBase?: number;
  nameKind?: string;
}

interface ParsedField {
  /** allowed[v] is true when value v matches. */
  allowed: boolean[];
  /** The matching values, ascending. */
  values: number[];
  /** The field starts with `*` (what Vixie cron calls a star field, `*\/n` included). */
  unrestricted: boolean;
  text: string;
}

const MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] as const;
const WEEKDAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;
const MONTH_WORDS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const WEEKDAY_WORDS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

const FIELDS: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59, wildcardMax: 59 },
  { name: "hour", min: 0, max: 23, wildcardMax: 23 },
  { name: "day-of-month", min: 1, max: 31, wildcardMax: 31 },
  { name: "month", min: 1, max: 12, wildcardMax: 12, names: MONTH_NAMES, nameBase: 1, nameKind: "month name (JAN-DEC)" },
  { name: "day-of-week", min: 0, max: 7, wildcardMax: 6, names: WEEKDAY_NAMES, nameBase: 0, nameKind: "weekday name (SUN-SAT)" },
];

const MACROS: Readonly<Record<string, string>> = {
  "@hourly": "0 * * * *",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@weekly": "0 0 * * 0",
  "@monthly": "0 0 1 * *",
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
};

/** How far ahead next() looks before deciding an expression never matches (Feb 29 can be 8 years away). */
const SEARCH_YEARS = 8;
const MINUTE_MS = 60_000;

export function parseCron(expression: string): CronSchedule {
  const tokens = expression
    .trim()
    .split(/\s+/)
    .filter((token) => token !== "");
  if (tokens.length === 0) throw new CronError("cron expression is empty");

  let normalized: string;
  let fieldTexts: string[];
  if (tokens[0].startsWith("@")) {
    const macro = tokens[0].toLowerCase();
    const expansion = MACROS[macro];
    if (expansion === undefined) {
      throw new CronError(`unknown macro "${tokens[0]}" (expected one of ${Object.keys(MACROS).join(", ")})`);
    }
    if (tokens.length > 1) throw new CronError(`macro ${macro} must be the whole expression, got ${tokens.length} fields`);
    normalized = macro;
    fieldTexts = expansion.split(" ");
  } else {
    if (tokens.length !== FIELDS.length) {
      throw new CronError(`expected 5 fields (minute hour day-of-month month day-of-week), got ${tokens.length}`);
    }
    normalized = tokens.join(" ");
    fieldTexts = tokens;
  }

  const [minutes, hours, daysOfMonth, months, daysOfWeek] = FIELDS.map((spec, i) => parseField(fieldTexts[i], spec));
  foldSundays(daysOfWeek);

  const dayMatches = (day: number, weekday: number): boolean => {
    const byDayOfMonth = daysOfMonth.allowed[day] === true;
    const byDayOfWeek = daysOfWeek.allowed[weekday] === true;
    return daysOfMonth.unrestricted || daysOfWeek.unrestricted ? byDayOfMonth && byDayOfWeek : byDayOfMonth || byDayOfWeek;
  };

  const next = (after: Date): Date => {
    const afterMs = after.getTime();
    if (!Number.isFinite(afterMs)) throw new CronError(`next: ${String(after)} is not a valid date`);
    let candidate = new Date(Math.floor(afterMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
    const lastYear = candidate.getUTCFullYear() + SEARCH_YEARS;
    for (;;) {
      const year = candidate.getUTCFullYear();
      const month = candidate.getUTCMonth() + 1;
      const day = candidate.getUTCDate();
      const hour = candidate.getUTCHours();
      if (year > lastYear) {
        throw new CronError(`cron "${normalized}" never matches (searched ${SEARCH_YEARS} years after ${after.toISOString()})`);
      }
      if (!months.allowed[month]) {
        const nextMonth = firstAtOrAfter(months.values, month + 1);
        candidate = nextMonth === undefined ? utc(year + 1, months.values[0], 1) : utc(year, nextMonth, 1);
        continue;
      }
      if (!dayMatches(day, candidate.getUTCDay())) {
        candidate = utc(year, month, day + 1);
        continue;
      }
      if (!hours.allowed[hour]) {
        const nextHour = firstAtOrAfter(hours.values, hour + 1);
        candidate = nextHour === undefined ? utc(year, month, day + 1) : utc(year, month, day, nextHour);
        continue;
      }
      const nextMinute = firstAtOrAfter(minutes.values, candidate.getUTCMinutes());
      if (nextMinute === undefined) {
        candidate = utc(year, month, day, hour + 1);
        continue;
      }
      return utc(year, month, day, hour, nextMinute);
    }
  };

  const describe = (): string => describeFields(minutes, hours, daysOfMonth, months, daysOfWeek) ?? `cron ${normalized} (UTC)`;

  return { expression: normalized, next, describe };
}

export function cronProblem(expression: string): string | null {
  try {
    parseCron(expression);
    return null;
  } catch (error) {
    if (error instanceof CronError) return error.message;
    throw error;
  }
}

function parseField(text: string, spec: FieldSpec): ParsedField {
  const fail = (problem: string): never => {
    throw new CronError(`${spec.name}: ${problem}`);
  };
  const badCharacter = /[^0-9A-Za-z*/,-]/.exec(text);
  if (badCharacter) fail(`unexpected character "${badCharacter[0]}" in "${text}"`);

  const parseValue = (token: string): number => {
    if (/^\d+$/.test(token)) {
      const value = Number(token);
      if (value < spec.min || value > spec.max) fail(`${token} is out of range ${spec.min}-${spec.max}`);
      return value;
    }
    const nameIndex = spec.names && /^[A-Za-z]{3}$/.test(token) ? spec.names.indexOf(token.toUpperCase()) : -1;
    if (nameIndex >= 0) return nameIndex + (spec.nameBase ?? 0);
    return fail(`"${token}" is not a number${spec.nameKind ? ` or ${spec.nameKind}` : ""}`);
  };

  const allowed: boolean[] = [];
  for (const item of text.split(",")) {
    if (item === "") fail(`empty item in list "${text}"`);
    const [rangeText, stepText, extra] = item.split("/");
    if (extra !== undefined) fail(`"${item}" has more than one "/"`);

    let start: number;
    let end: number;
    if (rangeText === "*") {
      start = spec.min;
      end = spec.wildcardMax;
    } else if (rangeText.includes("-")) {
      const bounds = rangeText.split("-");
      if (bounds.length !== 2 || bounds[0] === "" || bounds[1] === "") fail(`"${rangeText}" is not a range (expected a-b)`);
      start = parseValue(bounds[0]);
      end = parseValue(bounds[1]);
      if (start > end) fail(`range ${rangeText} is reversed (${start} is after ${end})`);
    } else {
      start = parseValue(rangeText);
      end = stepText === undefined ? start : spec.wildcardMax;
    }

    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText)) fail(`step "${stepText}" in "${item}" is not a number`);
      step = Number(stepText);
      if (step === 0) fail(`step 0 in "${item}" is invalid (must be at least 1)`);
    }
    for (let value = start; value <= end; value += step) allowed[value] = true;
  }

  return { allowed, values: valuesOf(allowed), unrestricted: text.startsWith("*"), text };
}

/** Day-of-week 7 is Sunday, as is 0: keep only 0. */
function foldSundays(daysOfWeek: ParsedField): void {
  if (daysOfWeek.allowed[7]) daysOfWeek.allowed[0] = true;
  daysOfWeek.allowed.length = Math.min(daysOfWeek.allowed.length, 7);
  daysOfWeek.values = valuesOf(daysOfWeek.allowed);
}

function valuesOf(allowed: boolean[]): number[] {
  const values: number[] = [];
  allowed.forEach((isAllowed, value) => {
    if (isAllowed) values.push(value);
  });
  return values;
}

function firstAtOrAfter(values: number[], from: number): number | undefined {
  return values.find((value) => value >= from);
}

/** A UTC instant from a 1-based month; overflowing days, hours and minutes roll over as Date.UTC does. */
function utc(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute));
}

/** English for the common shapes; undefined for anything else (the caller falls back to the expression). */
function describeFields(minutes: ParsedField, hours: ParsedField, daysOfMonth: ParsedField, months: ParsedField, daysOfWeek: ParsedField): string | undefined {
  const isStar = (field: ParsedField) => field.text === "*";
  const isSingle = (field: ParsedField) => field.values.length === 1;
  const everyStep = (field: ParsedField, cycle: number): number | undefined => {
    const match = /^\*\/(\d+)$/.exec(field.text);
    const step = match ? Number(match[1]) : undefined;
    return step !== undefined && cycle % step === 0 ? step : undefined;
  };
  const anyDay = isStar(daysOfMonth) && isStar(months) && isStar(daysOfWeek);

  if (anyDay && isStar(hours)) {
    if (isStar(minutes)) return "every minute";
    const minuteStep = everyStep(minutes, 60);
    if (minuteStep !== undefined) return minuteStep === 1 ? "every minute" : `every ${minuteStep} minutes`;
    if (isSingle(minutes)) return minutes.values[0] === 0 ? "every hour" : `every hour at minute ${minutes.values[0]}`;
    return undefined;
  }
  if (!isSingle(minutes)) return undefined;
  const minute = minutes.values[0];

  const hourStep = everyStep(hours, 24);
  if (anyDay && hourStep !== undefined) {
    const every = hourStep === 1 ? "every hour" : `every ${hourStep} hours`;
    return minute === 0 ? every : `${every} at minute ${minute}`;
  }
  if (!isSingle(hours)) return undefined;

  const at = `at ${twoDigits(hours.values[0])}:${twoDigits(minute)} UTC`;
  if (anyDay) return `${at} every day`;
  if (isStar(daysOfMonth) && isStar(months)) return `${at} on ${weekdaysInEnglish(daysOfWeek.values)}`;
  if (isSingle(daysOfMonth) && isStar(daysOfWeek)) {
    const day = daysOfMonth.values[0];
    if (isStar(months)) return `${at} on day ${day} of every month`;
    if (isSingle(months)) return `${at} on ${MONTH_WORDS[months.values[0] - 1]} ${day}`;
  }
  return undefined;
}

function weekdaysInEnglish(weekdays: number[]): string {
  const key = weekdays.join(",");
  if (key === "1,2,3,4,5") return "weekdays";
  if (key === "0,6") return "weekends";
  const words = weekdays.map((weekday) => WEEKDAY_WORDS[weekday]);
  return words.length === 1 ? words[0] : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

function twoDigits(value: number): string {
  return String(value).padStart(2, "0");
}
