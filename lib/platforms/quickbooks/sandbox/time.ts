// QuickBooks Online renders timestamps in the company's time zone with its UTC offset
// ("2015-07-24T10:33:39-07:00", MetaData at whole seconds). Sandbox companies live in US Pacific time,
// as Intuit's own sandbox companies do; the DST rule (second Sunday of March to first Sunday of
// November, since 2007) and the calendar are computed by arithmetic: Intl and even Date#toISOString
// (2.6 µs per call on a loaded 2-core dev box) showed up as most of the cost of rendering a page.
const HOUR_MS = 3600 * 1000;
const MINUTE_MS = 60 * 1000;

const dstCache = new Map<number, { start: number; end: number }>();

function nthSundayUtc(year: number, month: number, n: number): number {
  const first = Date.UTC(year, month, 1);
  const weekday = new Date(first).getUTCDay();
  return first + (((7 - weekday) % 7) + 7 * (n - 1)) * 24 * HOUR_MS;
}

function dstWindow(year: number): { start: number; end: number } {
  let window = dstCache.get(year);
  if (!window) {
    // 02:00 PST is 10:00 UTC; 02:00 PDT is 09:00 UTC.
    window = { start: nthSundayUtc(year, 2, 2) + 10 * HOUR_MS, end: nthSundayUtc(year, 10, 1) + 9 * HOUR_MS };
    dstCache.set(year, window);
  }
  return window;
}

/** Year, month (1-12) and day of a count of days since 1970-01-01 (H. Hinnant's civil_from_days). */
function civil(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

const pad2 = (n: number) => (n < 10 ? "0" : "") + n;

/** "YYYY-MM-DDTHH:MM:SS" (and ".mmm" when asked) of an epoch-ms value read as UTC. */
function wallClock(ms: number, withMillis: boolean): string {
  const days = Math.floor(ms / (24 * HOUR_MS));
  const [year, month, day] = civil(days);
  let rest = ms - days * 24 * HOUR_MS;
  const hour = Math.floor(rest / HOUR_MS);
  rest -= hour * HOUR_MS;
  const minute = Math.floor(rest / MINUTE_MS);
  rest -= minute * MINUTE_MS;
  const second = Math.floor(rest / 1000);
  const text = `${year}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}`;
  return withMillis ? `${text}.${String(Math.floor(rest - second * 1000)).padStart(3, "0")}` : text;
}

/** Offset of US Pacific time from UTC at `utc`, in minutes (-420 or -480). */
export function pacificOffsetMinutes(utc: number): number {
  const { start, end } = dstWindow(civil(Math.floor((utc - 8 * HOUR_MS) / (24 * HOUR_MS)))[0]);
  return utc >= start && utc < end ? -420 : -480;
}

function offsetSuffix(offsetMinutes: number): string {
  const abs = Math.abs(offsetMinutes);
  return `${offsetMinutes < 0 ? "-" : "+"}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** "2026-10-01T12:00:00-07:00": whole seconds (truncated), as MetaData times are rendered. */
export function formatQboDateTime(utc: number): string {
  const offset = pacificOffsetMinutes(utc);
  return wallClock(utc + offset * MINUTE_MS, false) + offsetSuffix(offset);
}

/** "2026-10-01T12:00:00.123-07:00": the response envelope's `time`, which carries milliseconds. */
export function formatQboResponseTime(utc: number): string {
  const offset = pacificOffsetMinutes(utc);
  return wallClock(utc + offset * MINUTE_MS, true) + offsetSuffix(offset);
}

/** The company-local calendar date of an instant ("2026-10-01"), as TxnDate and DueDate are. */
export function qboDate(utc: number): string {
  return wallClock(utc + pacificOffsetMinutes(utc) * MINUTE_MS, false).slice(0, 10);
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses the date-times QBO accepts in queries and CDC ("2026-10-01", "2026-10-01T12:00:00",
 * "…-07:00", "…Z"). Without an offset the time is company-local (Pacific), as QBO reads it.
 * Returns null when the text is not a valid date-time.
 */
export function parseQboDateTime(text: string): number | null {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0", m[6] ?? "0"].map(Number);
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, "0")) : 0;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(asUtc);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  const zone = m[8];
  if (zone === undefined) return asUtc - pacificOffsetMinutes(asUtc + 8 * HOUR_MS) * MINUTE_MS;
  if (zone === "Z") return asUtc;
  const digits = zone.replace(":", "");
  const offset = (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * (digits[0] === "-" ? -1 : 1);
  return asUtc - offset * MINUTE_MS;
}
