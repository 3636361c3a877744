// Xero's dates on the wire (Accounting API, "Date formats" in developer.xero.com's requests and
// responses guide): .NET JSON dates "/Date(1539993600000+0000)/" for Date, DueDate, UpdatedDateUTC,
// FullyPaidOnDate; DateString and DueDateString as "2018-10-20T00:00:00"; the envelope's DateTimeUTC
// as "/Date(1552326816230)/". Where filters write times as DateTime(2024,01,01[,h,m,s]).
import { DAY_MS } from "@/lib/sandbox/dataset";

export const msDate = (ms: number) => `/Date(${ms}+0000)/`;
export const msDateNoOffset = (ms: number) => `/Date(${ms})/`;
export const dayStart = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
export const dateString = (ms: number) => new Date(dayStart(ms)).toISOString().slice(0, 19);

/**
 * If-Modified-Since as clients send it: xero-node sends ISO 8601 with a zone (Date.toISOString), Xero's
 * docs show "2019-11-15T00:00:00" (UTC when no zone), and HTTP clients send RFC 1123. null if unreadable.
 */
export function parseIfModifiedSince(text: string): number | null {
  const trimmed = text.trim();
  const isoWithoutZone = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(trimmed);
  const ms = Date.parse(isoWithoutZone ? `${trimmed.length === 10 ? `${trimmed}T00:00:00` : trimmed}Z` : trimmed);
  return Number.isFinite(ms) ? ms : null;
}
