// Standard five-field cron expressions (minute hour day-of-month month day-of-week), evaluated in
// UTC, for sync job cron triggers. Matching and next run times come from croner (written against
// 11.0.1), the English from cronstrue (3.39.0); both run in the browser. This adapter adds what they
// do not give us:
// - our syntax and nothing more: `*`, numbers, `a-b`, `*/n`, `a-b/n`, `a/n`, lists, JAN-DEC and
//   SUN-SAT (any case), day-of-week 0-7 (0 and 7 are Sunday) and the @hourly/@daily/@midnight/
//   @weekly/@monthly/@yearly/@annually macros. croner also takes seconds, years, `L`, `W`, `#`, `?`
//   and `+`, which a check of each field refuses first, with a CronError naming the field;
// - Vixie cron's day rule: when day-of-month and day-of-week are both restricted (neither starts
//   with `*`) a day matching either one matches, otherwise a day must match both. croner only counts
//   a bare `*` as unrestricted, so `*/2` would get the either-one rule: we pass the rule ourselves
//   (croner's `domAndDow`, cronstrue's `logicalAndDayFields`);
// - a bounded search: next() looks 8 years ahead (Feb 29 can be that far) and then says the
//   expression never matches;
// - times said in UTC, as the schedule is.
import { Cron, type CronOptions } from "croner";
import cronstrue from "cronstrue";

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
  /** Short English in UTC, e.g. "every 15 minutes", "at 09:00 UTC, only on Monday". */
  describe(): string;
}

interface FieldSpec {
  name: "minute" | "hour" | "day-of-month" | "month" | "day-of-week";
  min: number;
  max: number;
  /** The most values the field has; croner refuses a larger step, which would match only the first value of its range, as this one does. */
  maxStep: number;
  /** Three-letter names: `names[i]` stands for the value `i + nameBase`. */
  names?: readonly string[];
  nameBase?: number;
  nameKind?: string;
}

const MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] as const;
const WEEKDAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;

const FIELDS: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59, maxStep: 60 },
  { name: "hour", min: 0, max: 23, maxStep: 24 },
  { name: "day-of-month", min: 1, max: 31, maxStep: 31 },
  { name: "month", min: 1, max: 12, maxStep: 12, names: MONTH_NAMES, nameBase: 1, nameKind: "month name (JAN-DEC)" },
  { name: "day-of-week", min: 0, max: 7, maxStep: 7, names: WEEKDAY_NAMES, nameBase: 0, nameKind: "weekday name (SUN-SAT)" },
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
/** How many years one croner job covers (see next()). */
const JOB_YEARS = 100;
/** The last year croner takes in a year field. */
const CRONER_LAST_YEAR = 9999;
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

  const fields = FIELDS.map((spec, i) => checkField(fieldTexts[i], spec)).join(" ");
  const [, , dayOfMonth, , dayOfWeek] = fieldTexts;
  const bothDaysMatch = dayOfMonth.startsWith("*") || dayOfWeek.startsWith("*");
  // A fixed offset rather than `timezone: "UTC"`: the same instants without Intl, and 10,000
  // next() calls of `*/7 3-5 * * MON,FRI` took 0.3 s against 1.2-1.4 s.
  const options: CronOptions = { mode: "7-part", utcOffset: 0, sloppyRanges: true, domAndDow: bothDaysMatch };
  const cron = (years: string) => fromCroner(normalized, () => new Cron(`0 ${fields} ${years}`, options));
  cron("*");

  // With a year field croner searches past 2999 (where it stops for `*`), and gives up on an
  // impossible date after those years rather than at 2999 (1.6 ms a call). Building a job costs
  // about as much as a search, so one job serves the next() calls of a century.
  let job: { firstYear: number; cron: Cron } | undefined;
  const next = (after: Date): Date => {
    const afterMs = after.getTime();
    if (!Number.isFinite(afterMs)) throw new CronError(`next: ${String(after)} is not a valid date`);
    const firstYear = new Date(afterMs + MINUTE_MS).getUTCFullYear();
    const lastYear = firstYear + SEARCH_YEARS;
    if (job === undefined || firstYear < job.firstYear || lastYear > job.firstYear + JOB_YEARS) {
      job = { firstYear, cron: cron(`${firstYear}-${Math.min(firstYear + JOB_YEARS, CRONER_LAST_YEAR)}`) };
    }
    const found = job.cron.nextRun(after);
    if (found === null || found.getUTCFullYear() > lastYear) {
      throw new CronError(`cron "${normalized}" never matches (searched ${SEARCH_YEARS} years after ${after.toISOString()})`);
    }
    return found;
  };

  // "*/7" in minutes fires at :56 then :00, four minutes apart: cronstrue's "every 7 minutes" would be wrong there.
  const unevenStep = ([60, 24] as const).some((cycle, i) => {
    const step = /^\*\/(\d+)$/.exec(fieldTexts[i])?.[1];
    return step !== undefined && cycle % Number(step) !== 0;
  });
  const describe = (): string => {
    if (unevenStep) return `cron ${normalized} (UTC)`;
    try {
      const english = cronstrue.toString(fields, {
        use24HourTimeFormat: true,
        verbose: false,
        throwExceptionOnParseError: true,
        logicalAndDayFields: bothDaysMatch,
      });
      // "At 09:00, only on Monday" → "at 09:00 UTC, only on Monday"; "between 09:00 and 17:59 UTC".
      return (english.charAt(0).toLowerCase() + english.slice(1)).replace(/\d\d:\d\d(?!.*\d\d:\d\d)/, "$& UTC");
    } catch {
      return `cron ${normalized} (UTC)`;
    }
  };

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

/**
 * Refuses what our syntax does not allow, with a message naming the field, and returns the field as
 * croner takes it (steps above croner's limit lowered to it).
 */
function checkField(text: string, spec: FieldSpec): string {
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

  const items = text.split(",").map((item) => {
    if (item === "") fail(`empty item in list "${text}"`);
    const [rangeText, stepText, extra] = item.split("/");
    if (extra !== undefined) fail(`"${item}" has more than one "/"`);

    if (rangeText.includes("-")) {
      const bounds = rangeText.split("-");
      if (bounds.length !== 2 || bounds[0] === "" || bounds[1] === "") fail(`"${rangeText}" is not a range (expected a-b)`);
      const start = parseValue(bounds[0]);
      const end = parseValue(bounds[1]);
      if (start > end) fail(`range ${rangeText} is reversed (${start} is after ${end})`);
    } else if (rangeText !== "*") {
      parseValue(rangeText);
    }

    if (stepText === undefined) return item;
    if (!/^\d+$/.test(stepText)) fail(`step "${stepText}" in "${item}" is not a number`);
    const step = Number(stepText);
    if (step === 0) fail(`step 0 in "${item}" is invalid (must be at least 1)`);
    return `${rangeText}/${Math.min(step, spec.maxStep)}`;
  });
  return items.join(",");
}

/** Runs a croner call, turning its refusal (which our field check should have made first) into a CronError. */
function fromCroner<T>(expression: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (!(error instanceof Error) || error instanceof CronError) throw error;
    throw new CronError(`cron "${expression}": ${error.message.replace(/^CronPattern: /, "")}`);
  }
}
