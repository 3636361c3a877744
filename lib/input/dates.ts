// Instants a request may name: ISO-8601 date-times with an offset, from 1970 to 9999. PostgreSQL has
// no year 0 ("0000-01-01" is out of range for timestamptz, an error past the edge), JavaScript dates
// reach ±275760, and nothing Tributary stores is older than the Unix epoch or needs five digits.
import { z } from "zod";

export const EARLIEST_INSTANT = new Date("1970-01-01T00:00:00Z");
export const LATEST_INSTANT = new Date("9999-12-31T23:59:59.999Z");

const RANGE_MESSAGE = "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z";

/** Whether `date` is a real instant within the range. */
export function isSaneInstant(date: Date): boolean {
  const time = date.getTime();
  return !Number.isNaN(time) && time >= EARLIEST_INSTANT.getTime() && time <= LATEST_INSTANT.getTime();
}

/** An ISO-8601 date-time string with an offset or Z, within the range; `message` says what a malformed one should be. */
export const isoInstant = (message = "must be an ISO-8601 date-time, e.g. 2026-01-31T00:00:00Z") =>
  z.iso.datetime({ offset: true, message }).refine((value) => isSaneInstant(new Date(value)), RANGE_MESSAGE);

/** The same, as a Date. */
export const instant = (message?: string) => isoInstant(message).transform((value) => new Date(value));
