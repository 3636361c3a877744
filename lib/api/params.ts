// Query-string and path parameters of the public API as zod schemas: every value arrives as a string,
// so each helper checks the string (which is what the OpenAPI document shows) and then converts it.
import { z } from "zod";
import { idPattern, type IdPrefix } from "@/lib/db/ids";
import { instant } from "@/lib/input";

/** The largest value of a PostgreSQL bigint: a sequence cursor past it names nothing. */
const MAX_BIGINT = 9223372036854775807n;

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

/** An ISO-8601 date-time with an offset or Z, from 1970 to 9999. */
export const dateTime = (description: string) => instant().optional().meta({ description });

/** An opaque cursor this API returned (`next_cursor`). */
export const cursor = (pattern: RegExp) =>
  z.string().regex(pattern, "is not a cursor this API returned").optional().meta({ description: "The next_cursor of the previous page" });

/** A cursor that is a position in a sequence (a bigint), as a BigInt. */
export const sequenceCursor = () =>
  z
    .string()
    .regex(/^\d{1,19}$/, "is not a cursor this API returned")
    // zod runs every check: the regex's failure does not stop this one, hence the guard.
    .refine((value) => !/^\d+$/.test(value) || BigInt(value) <= MAX_BIGINT, "is not a cursor this API returned")
    .transform((value) => BigInt(value))
    .optional()
    .meta({ description: "The next_cursor of the previous page" });

/** A path parameter naming an object by its id (`conn_…`): anything else is refused before a lookup. */
export const pathId = (prefix: IdPrefix, description: string) =>
  z.string().regex(idPattern(prefix), `must be an id of the form ${prefix}_ followed by 26 characters`).meta({ description });

/** A path parameter naming something by a lower-case key (a category, an object). */
export const pathKey = (description: string) =>
  z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,63}$/, "must be lower-case letters, digits and _")
    .meta({ description });
