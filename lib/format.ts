// Display formatting shared by dashboard pages. Times are always shown in UTC, the zone of the API,
// the cron triggers and the logs, so what a member reads matches what their backend sees.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "2026-11-22 20:41 UTC", or "—" when there is no date. */
export function formatDateTime(date: Date | null | undefined): string {
  if (!date) return "—";
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "3 min ago", "in 2 h", "just now"; "—" when there is no date. */
export function formatRelative(date: Date | null | undefined, now: Date = new Date()): string {
  if (!date) return "—";
  const delta = date.getTime() - now.getTime();
  const distance = Math.abs(delta);
  if (distance < MINUTE) return "just now";
  const amount =
    distance < HOUR ? `${Math.round(distance / MINUTE)} min` : distance < DAY ? `${Math.round(distance / HOUR)} h` : `${Math.round(distance / DAY)} d`;
  return delta < 0 ? `${amount} ago` : `in ${amount}`;
}

/** The time between two instants, "1 h 4 min", "12 s"; "—" while either end is missing. */
export function formatDuration(start: Date | null | undefined, end: Date | null | undefined): string {
  if (!start || !end) return "—";
  const ms = Math.max(0, end.getTime() - start.getTime());
  if (ms < 1000) return `${ms} ms`;
  if (ms < MINUTE) return `${Math.round(ms / 1000)} s`;
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min ${Math.round((ms % MINUTE) / 1000)} s`;
  return `${Math.floor(ms / HOUR)} h ${Math.round((ms % HOUR) / MINUTE)} min`;
}

/** A frequency in minutes as people say it: "5 minutes", "1 hour", "90 minutes", "2 days". */
export function formatMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return plural(minutes / 1440, "day");
  if (minutes % 60 === 0) return plural(minutes / 60, "hour");
  return plural(minutes, "minute");
}

export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}

const COMPACT = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** "950", "36K", "1.2M": a count short enough for a chart's axis. */
export function formatCompact(value: number): string {
  return COMPACT.format(value);
}

/** "NEEDS_UPDATE" → "Needs update", "historical_batch" → "Historical batch". */
export function humanize(value: string): string {
  const words = value.replace(/_/g, " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "1 month", "3 months", "2 batches" (pass the plural when adding "s" is wrong). */
export function plural(count: number, unit: string, units = `${unit}s`): string {
  return `${formatCount(count)} ${count === 1 ? unit : units}`;
}

/** "an accounting", "a commerce": the indefinite article by the word's first letter (the words put through it, categories and such, have no silent h or sounded u). */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? "an" : "a"} ${word}`;
}

/** An object key as words: "bills" → "Bills", "credit_notes" → "Credit notes". */
export const objectLabel = (object: string) => object.charAt(0).toUpperCase() + object.slice(1).replace(/_/g, " ");

/** A share from 0 to 1 as a whole percentage that never rounds to 0% or 100% unless it is exactly that: 0.996 → "99%", 0.004 → "1%". */
export function formatShare(share: number): string {
  if (share <= 0) return "0%";
  if (share >= 1) return "100%";
  return `${Math.min(99, Math.max(1, Math.round(share * 100)))}%`;
}
