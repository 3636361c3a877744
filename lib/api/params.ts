// Query-string parameters of the public API as zod schemas: every value arrives as a string, so each
// helper checks the string (which is what the OpenAPI document shows) and then converts it.
import { z } from "zod";

/** `limit`: a whole number from 1 to `max`, `fallback` when absent. */
export const pageLimit = (max: number, fallback: number) => {
  const message = `must be a whole number from 1 to ${max}`;
  return z
    .string()
    .regex(/^\d+$/, message)
    .transform(Number)
    .pipe(z.number().int().min(1, message).max(max, message))
    .optional()
    .transform((value) => value ?? fallback)
    .meta({ description: `Page size, 1 to ${max} (default ${fallback})` });
};

/** `true` or `false`; absent is false. */
export const flag = (description: string) =>
  z
    .enum(["true", "false"], { message: "must be true or false" })
    .optional()
    .transform((value) => value === "true")
    .meta({ description });

/** An ISO-8601 date-time with an offset or Z. */
export const dateTime = (description: string) =>
  z.iso
    .datetime({ offset: true, message: "must be an ISO-8601 date-time, e.g. 2026-01-31T00:00:00Z" })
    .transform((value) => new Date(value))
    .optional()
    .meta({ description });

/** An opaque cursor this API returned (`next_cursor`). */
export const cursor = (pattern: RegExp) =>
  z.string().regex(pattern, "is not a cursor this API returned").optional().meta({ description: "The next_cursor of the previous page" });
