// Tests for the cron parser and scheduler behind sync job cron triggers: concrete next() instants,
// Vixie day-of-month/day-of-week semantics, names and macros, every rejected expression's message,
// impossible dates, and next() staying fast for rare schedules.
import { describe, expect, it } from "vitest";
import { CronError, cronProblem, parseCron } from "./cron";

/** The first `count` instants the schedule fires after `from`, as ISO strings. */
function upcoming(expression: string, from: string, count: number): string[] {
  const schedule = parseCron(expression);
  const instants: string[] = [];
  let after = new Date(from);
  for (let i = 0; i < count; i++) {
    after = schedule.next(after);
    instants.push(after.toISOString());
  }
  return instants;
}

function nextAfter(expression: string, from: string): string {
  return parseCron(expression).next(new Date(from)).toISOString();
}

describe("parseCron next()", () => {
  it("steps through minutes, strictly after the given instant, with seconds zeroed", () => {
    expect(nextAfter("*/15 * * * *", "2026-01-01T00:07:30Z")).toBe("2026-01-01T00:15:00.000Z");
    expect(nextAfter("*/15 * * * *", "2026-01-01T00:15:00Z")).toBe("2026-01-01T00:30:00.000Z");
    expect(nextAfter("*/15 * * * *", "2026-01-01T00:14:59.999Z")).toBe("2026-01-01T00:15:00.000Z");
    expect(nextAfter("*/15 * * * *", "2026-01-01T23:50:00Z")).toBe("2026-01-02T00:00:00.000Z");
    expect(nextAfter("* * * * *", "2026-05-05T10:20:42.123Z")).toBe("2026-05-05T10:21:00.000Z");
  });

  it("finds Feb 29 in the next leap year, even across a skipped century leap day", () => {
    expect(upcoming("0 0 29 2 *", "2026-03-01T00:00:00Z", 2)).toEqual(["2028-02-29T00:00:00.000Z", "2032-02-29T00:00:00.000Z"]);
    expect(nextAfter("0 0 29 2 *", "2097-03-01T00:00:00Z")).toBe("2104-02-29T00:00:00.000Z");
  });

  it("runs on a weekday (2026-01-01 is a Thursday)", () => {
    expect(upcoming("30 2 * * 1", "2026-01-01T00:00:00Z", 3)).toEqual(["2026-01-05T02:30:00.000Z", "2026-01-12T02:30:00.000Z", "2026-01-19T02:30:00.000Z"]);
    expect(nextAfter("30 2 * * 1", "2026-01-05T02:30:00Z")).toBe("2026-01-12T02:30:00.000Z");
    expect(nextAfter("30 2 * * 1", "2026-01-05T02:29:00Z")).toBe("2026-01-05T02:30:00.000Z");
  });

  it("matches a day when either day-of-month or day-of-week matches, if both are restricted", () => {
    // Fridays, plus the 13th (a Tuesday in January 2026).
    expect(upcoming("0 0 13 * 5", "2026-01-01T00:00:00Z", 5)).toEqual([
      "2026-01-02T00:00:00.000Z",
      "2026-01-09T00:00:00.000Z",
      "2026-01-13T00:00:00.000Z",
      "2026-01-16T00:00:00.000Z",
      "2026-01-23T00:00:00.000Z",
    ]);
  });

  it("needs both to match when either day field starts with * (Vixie cron)", () => {
    expect(upcoming("0 0 13 * *", "2026-01-01T00:00:00Z", 2)).toEqual(["2026-01-13T00:00:00.000Z", "2026-02-13T00:00:00.000Z"]);
    expect(upcoming("0 0 * * 5", "2026-01-01T00:00:00Z", 2)).toEqual(["2026-01-02T00:00:00.000Z", "2026-01-09T00:00:00.000Z"]);
    // Odd days of the month that are also Mondays.
    expect(upcoming("0 0 */2 * 1", "2026-01-01T00:00:00Z", 3)).toEqual(["2026-01-05T00:00:00.000Z", "2026-01-19T00:00:00.000Z", "2026-02-09T00:00:00.000Z"]);
  });

  it("reads month and weekday names in any case", () => {
    expect(nextAfter("0 12 1 jun *", "2026-01-01T00:00:00Z")).toBe("2026-06-01T12:00:00.000Z");
    expect(nextAfter("0 12 1 JUN *", "2026-06-01T12:00:00Z")).toBe("2027-06-01T12:00:00.000Z");
    expect(upcoming("0 8 * Nov-Dec Sat,sun", "2026-01-01T00:00:00Z", 3)).toEqual([
      "2026-11-01T08:00:00.000Z",
      "2026-11-07T08:00:00.000Z",
      "2026-11-08T08:00:00.000Z",
    ]);
    expect(upcoming("0 9 * * mon-fri", "2026-01-02T09:00:00Z", 2)).toEqual(["2026-01-05T09:00:00.000Z", "2026-01-06T09:00:00.000Z"]);
  });

  it("treats day-of-week 7 and 0 both as Sunday", () => {
    const sundays = ["2026-01-04T09:00:00.000Z", "2026-01-11T09:00:00.000Z"];
    expect(upcoming("0 9 * * 7", "2026-01-01T00:00:00Z", 2)).toEqual(sundays);
    expect(upcoming("0 9 * * 0", "2026-01-01T00:00:00Z", 2)).toEqual(sundays);
    expect(upcoming("0 9 * * SUN", "2026-01-01T00:00:00Z", 2)).toEqual(sundays);
    // Friday through Sunday, written with 7.
    expect(upcoming("0 9 * * 5-7", "2026-01-01T00:00:00Z", 4)).toEqual([
      "2026-01-02T09:00:00.000Z",
      "2026-01-03T09:00:00.000Z",
      "2026-01-04T09:00:00.000Z",
      "2026-01-09T09:00:00.000Z",
    ]);
  });

  it("rolls over into the next year", () => {
    expect(nextAfter("* * * * *", "2026-12-31T23:59:00Z")).toBe("2027-01-01T00:00:00.000Z");
    expect(nextAfter("59 23 31 12 *", "2026-12-31T23:59:00Z")).toBe("2027-12-31T23:59:00.000Z");
    expect(nextAfter("0 0 1 1 *", "2026-06-01T00:00:00Z")).toBe("2027-01-01T00:00:00.000Z");
  });

  it("skips months too short for the day", () => {
    expect(upcoming("0 0 31 * *", "2026-01-31T00:00:00Z", 3)).toEqual(["2026-03-31T00:00:00.000Z", "2026-05-31T00:00:00.000Z", "2026-07-31T00:00:00.000Z"]);
  });

  it("expands ranges, lists and every form of step", () => {
    expect(upcoming("10-30/10 * * * *", "2026-01-01T00:00:00Z", 4).map((iso) => iso.slice(11, 16))).toEqual(["00:10", "00:20", "00:30", "01:10"]);
    expect(upcoming("5/20 * * * *", "2026-01-01T00:00:00Z", 4).map((iso) => iso.slice(11, 16))).toEqual(["00:05", "00:25", "00:45", "01:05"]);
    expect(upcoming("0 1,13,22 * * *", "2026-01-01T00:00:00Z", 4).map((iso) => iso.slice(8, 16))).toEqual(["01T01:00", "01T13:00", "01T22:00", "02T01:00"]);
    // 1/2 in day-of-week is Monday, Wednesday, Friday — it does not wrap round to 7 (Sunday).
    expect(upcoming("0 0 * * 1/2", "2026-01-01T00:00:00Z", 4).map((iso) => iso.slice(0, 10))).toEqual(["2026-01-02", "2026-01-05", "2026-01-07", "2026-01-09"]);
  });

  it("agrees with a minute-by-minute scan over two months", () => {
    const cases: [string, (at: Date) => boolean][] = [
      ["*/7 3-5 * * MON,FRI", (at) => at.getUTCMinutes() % 7 === 0 && [3, 4, 5].includes(at.getUTCHours()) && [1, 5].includes(at.getUTCDay())],
      ["15,45 */5 1-10/3 * *", (at) => [15, 45].includes(at.getUTCMinutes()) && at.getUTCHours() % 5 === 0 && [1, 4, 7, 10].includes(at.getUTCDate())],
      ["0 12 1,15 * WED", (at) => at.getUTCMinutes() === 0 && at.getUTCHours() === 12 && ([1, 15].includes(at.getUTCDate()) || at.getUTCDay() === 3)],
      ["30 23 * FEB,MAR 6", (at) => at.getUTCMinutes() === 30 && at.getUTCHours() === 23 && at.getUTCMonth() + 1 >= 2 && at.getUTCDay() === 6],
    ];
    const start = Date.parse("2026-01-20T00:00:00Z");
    const end = Date.parse("2026-03-20T00:00:00Z");
    for (const [expression, matches] of cases) {
      const scanned: string[] = [];
      for (let ms = start + 60_000; ms <= end; ms += 60_000) {
        if (matches(new Date(ms))) scanned.push(new Date(ms).toISOString());
      }
      const schedule = parseCron(expression);
      const found: string[] = [];
      for (let at = schedule.next(new Date(start)); at.getTime() <= end; at = schedule.next(at)) found.push(at.toISOString());
      expect(found.length, expression).toBeGreaterThan(3);
      expect(found, expression).toEqual(scanned);
    }
  });

  it("throws 'never matches' for a date that does not exist", () => {
    expect(() => parseCron("0 0 30 2 *").next(new Date("2026-01-01T00:00:00Z"))).toThrow(CronError);
    expect(() => parseCron("0 0 30 2 *").next(new Date("2026-01-01T00:00:00Z"))).toThrow(
      'cron "0 0 30 2 *" never matches (searched 8 years after 2026-01-01T00:00:00.000Z)',
    );
    expect(() => parseCron("0 0 31 4,6,9,11 *").next(new Date("2026-01-01T00:00:00Z"))).toThrow(/never matches/);
  });

  it("rejects an invalid `after`", () => {
    expect(() => parseCron("* * * * *").next(new Date("nope"))).toThrow(CronError);
  });

  it("is fast for rare schedules", () => {
    const yearly = parseCron("0 0 1 1 *");
    let after = new Date("2026-01-01T00:00:00Z");
    const started = performance.now();
    for (let i = 0; i < 1000; i++) after = yearly.next(after);
    expect(performance.now() - started).toBeLessThan(500);
    expect(after.toISOString()).toBe("3026-01-01T00:00:00.000Z");

    const impossible = parseCron("0 0 30 2 *");
    const impossibleStarted = performance.now();
    for (let i = 0; i < 100; i++) expect(() => impossible.next(new Date("2026-01-01T00:00:00Z"))).toThrow(CronError);
    expect(performance.now() - impossibleStarted).toBeLessThan(500);
  });
});

describe("macros", () => {
  it("@weekly runs Sunday at midnight", () => {
    expect(upcoming("@weekly", "2026-01-01T00:00:00Z", 2)).toEqual(["2026-01-04T00:00:00.000Z", "2026-01-11T00:00:00.000Z"]);
  });

  it("each macro runs like its five-field equivalent", () => {
    const equivalents: Record<string, string> = {
      "@hourly": "0 * * * *",
      "@daily": "0 0 * * *",
      "@midnight": "0 0 * * *",
      "@weekly": "0 0 * * 0",
      "@monthly": "0 0 1 * *",
      "@yearly": "0 0 1 1 *",
      "@annually": "0 0 1 1 *",
    };
    for (const [macro, fields] of Object.entries(equivalents)) {
      expect(upcoming(macro, "2026-03-14T15:09:26Z", 3), macro).toEqual(upcoming(fields, "2026-03-14T15:09:26Z", 3));
    }
    expect(nextAfter("@monthly", "2026-03-14T15:09:26Z")).toBe("2026-04-01T00:00:00.000Z");
    expect(nextAfter("@DAILY", "2026-03-14T15:09:26Z")).toBe("2026-03-15T00:00:00.000Z");
  });
});

describe("expression and describe()", () => {
  it("normalizes whitespace", () => {
    expect(parseCron("  */5\t*   * *  1-5 ").expression).toBe("*/5 * * * 1-5");
    expect(parseCron(" @Hourly ").expression).toBe("@hourly");
  });

  it("says common schedules in English and falls back to the expression", () => {
    const described: Record<string, string> = {
      "* * * * *": "every minute",
      "*/15 * * * *": "every 15 minutes",
      "0 * * * *": "every hour",
      "@hourly": "every hour",
      "5 * * * *": "at 5 minutes past the hour",
      "0 */6 * * *": "on the hour, every 6 hours",
      "30 2 * * *": "at 02:30 UTC",
      "@daily": "at 00:00 UTC",
      "0 9 * * 1": "at 09:00 UTC, only on Monday",
      "0 9 * * MON,wed,FRI": "at 09:00 UTC, only on Monday, Wednesday, and Friday",
      "0 9 * * 1-5": "at 09:00 UTC, Monday through Friday",
      "0 9 * * 6,7": "at 09:00 UTC, only on Saturday and Sunday",
      "@weekly": "at 00:00 UTC, only on Sunday",
      "@monthly": "at 00:00 UTC, on day 1 of the month",
      "@yearly": "at 00:00 UTC, on day 1 of the month, only in January",
      "15 6 4 jul *": "at 06:15 UTC, on day 4 of the month, only in July",
      "*/7 * * * *": "cron */7 * * * * (UTC)",
      "0 */6 * * 1-5": "on the hour, every 6 hours, Monday through Friday",
      "0 0 13 * 5": "at 00:00 UTC, on day 13 of the month, and on Friday",
    };
    for (const [expression, english] of Object.entries(described)) {
      expect(parseCron(expression).describe(), expression).toBe(english);
    }
  });
});

describe("invalid expressions", () => {
  const problems: [string, string][] = [
    ["", "cron expression is empty"],
    ["   ", "cron expression is empty"],
    ["* * * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 4"],
    ["0 * * * * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 6"],
    ["60 * * * *", "minute: 60 is out of range 0-59"],
    ["0 24 * * *", "hour: 24 is out of range 0-23"],
    ["0 0 0 * *", "day-of-month: 0 is out of range 1-31"],
    ["0 0 32 * *", "day-of-month: 32 is out of range 1-31"],
    ["0 0 * 13 *", "month: 13 is out of range 1-12"],
    ["0 0 * 0 *", "month: 0 is out of range 1-12"],
    ["0 0 * * 8", "day-of-week: 8 is out of range 0-7"],
    ["0 0-30 * * *", "hour: 30 is out of range 0-23"],
    ["*/0 * * * *", 'minute: step 0 in "*/0" is invalid (must be at least 1)'],
    ["0 1-5/0 * * *", 'hour: step 0 in "1-5/0" is invalid (must be at least 1)'],
    ["*/x * * * *", 'minute: step "x" in "*/x" is not a number'],
    ["*/ * * * *", 'minute: step "" in "*/" is not a number'],
    ["*/5/2 * * * *", 'minute: "*/5/2" has more than one "/"'],
    ["0 0 5-2 * *", "day-of-month: range 5-2 is reversed (5 is after 2)"],
    ["0 0 * * FRI-MON", "day-of-week: range FRI-MON is reversed (5 is after 1)"],
    ["0 0 * DEC-JAN *", "month: range DEC-JAN is reversed (12 is after 1)"],
    ["0 0 1-2-3 * *", 'day-of-month: "1-2-3" is not a range (expected a-b)'],
    ["-5 * * * *", 'minute: "-5" is not a range (expected a-b)'],
    ["5? * * * *", 'minute: unexpected character "?" in "5?"'],
    ["0 0 L * *", 'day-of-month: "L" is not a number'],
    ["0 0 1.5 * *", 'day-of-month: unexpected character "." in "1.5"'],
    ["1,,2 * * * *", 'minute: empty item in list "1,,2"'],
    ["1, * * * *", 'minute: empty item in list "1,"'],
    ["abc * * * *", 'minute: "abc" is not a number'],
    ["0 MON * * *", 'hour: "MON" is not a number'],
    ["0 0 * FOO *", 'month: "FOO" is not a number or month name (JAN-DEC)'],
    ["0 0 * JANUARY *", 'month: "JANUARY" is not a number or month name (JAN-DEC)'],
    ["0 0 * * MONDAY", 'day-of-week: "MONDAY" is not a number or weekday name (SUN-SAT)'],
    ["0 0 * * JAN", 'day-of-week: "JAN" is not a number or weekday name (SUN-SAT)'],
    ["@reboot", 'unknown macro "@reboot" (expected one of @hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually)'],
    ["@daily 5", "macro @daily must be the whole expression, got 2 fields"],
  ];

  it.each(problems)("rejects %j: %s", (expression, message) => {
    expect(() => parseCron(expression)).toThrow(CronError);
    expect(() => parseCron(expression)).toThrow(message);
    expect(cronProblem(expression)).toBe(message);
  });

  it("reports no problem for valid expressions", () => {
    for (const expression of ["* * * * *", "0 0 * * 0-7", "59 23 31 12 6", "*/90 * * * *", "@annually", "0 0 30 2 *"]) {
      expect(cronProblem(expression), expression).toBeNull();
    }
  });

  it("is a CronError with its name set", () => {
    const error = (() => {
      try {
        parseCron("0 24 * * *");
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(CronError);
    expect(error).toBeInstanceOf(Error);
    expect((error as CronError).name).toBe("CronError");
  });
});
