// The field types every unified model is written with, so that money, time and references look the
// same in every object of every category:
// - money is a decimal string ("1234.50"), never a JSON number: a binary float cannot hold every
//   amount of minor units exactly, and a client parsing a number would round on its side too;
// - each amount sits beside its ISO 4217 currency code;
// - instants are UTC ISO-8601 ending in Z; dates (an invoice's due date) are calendar dates;
// - a reference to another object holds that object's id on the platform and says in its schema which
//   object it names (REFERENCES_KEYWORD), so that Tributary adds the referenced record's own id when it
//   serves the record (lib/unified/references.ts) with no list of references kept anywhere else.
//
// Each helper has a `.nullable` twin that puts the description on the nullable field itself: zod keeps
// a description on the schema it was given to, and `describe(...).nullable()` would hide it inside the
// JSON Schema's anyOf, where the REST reference does not show it.
import { z } from "zod";

/** A decimal with up to 10 fraction digits and no exponent: "1234.50", "-3", "0.125". */
export const DECIMAL_PATTERN = /^-?(0|[1-9]\d*)(\.\d{1,10})?$/;
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;

/** The JSON Schema keyword naming the object (of the same category) a reference field points to. */
export const REFERENCES_KEYWORD = "x-references";

type Meta = { description: string } & Record<string, unknown>;

/** A field helper and its nullable twin, both carrying their description at the top. */
function field<T extends z.ZodType, A extends unknown[]>(build: (...args: A) => { schema: T; meta: Meta }) {
  const make = (...args: A) => {
    const { schema, meta } = build(...args);
    return schema.meta(meta);
  };
  make.nullable = (...args: A) => {
    const { schema, meta } = build(...args);
    return schema.nullable().meta(meta);
  };
  return make;
}

export const money = field((description: string) => ({
  schema: z.string().regex(DECIMAL_PATTERN, "must be a decimal string such as 1234.50"),
  meta: { description: `${description}. A decimal string, e.g. "1234.50"` },
}));

export const decimal = field((description: string) => ({
  schema: z.string().regex(DECIMAL_PATTERN, "must be a decimal string such as 1.5"),
  meta: { description: `${description}. A decimal string, e.g. "1.5"` },
}));

export const currency = field((description: string) => ({
  schema: z.string().regex(CURRENCY_PATTERN, "must be an ISO 4217 code such as USD"),
  meta: { description: `${description}. An ISO 4217 code, e.g. "USD"` },
}));

/** An instant in UTC, e.g. 2025-03-01T12:00:00.000Z: offsets are refused, so every client reads one form. */
export const timestamp = field((description: string) => ({
  schema: z.iso.datetime({ message: "must be a UTC ISO-8601 date-time ending in Z" }),
  meta: { description: `${description}. UTC, ISO 8601` },
}));

/** A calendar date without a time of day, as accounting documents carry them. */
export const calendarDate = field((description: string) => ({
  schema: z.iso.date({ message: "must be a date, YYYY-MM-DD" }),
  meta: { description: `${description}. YYYY-MM-DD` },
}));

/** An id the platform gave: always a string, whatever type the platform uses. */
export const platformId = field((description: string) => ({ schema: z.string().min(1), meta: { description } }));

export const text = field((description: string) => ({ schema: z.string(), meta: { description } }));

export const integer = field((description: string) => ({ schema: z.number().int(), meta: { description } }));

export const boolean = field((description: string) => ({ schema: z.boolean(), meta: { description } }));

export const strings = (description: string) => z.array(z.string()).meta({ description });

/** The platform's id of one record of `target`, an object of the same category. */
export const reference = field((target: string, description: string) => ({
  schema: z.string().min(1),
  meta: { description: `${description} (the platform's id of a record of ${target})`, [REFERENCES_KEYWORD]: target },
}));

/** The platform's ids of records of `target`. */
export const references = (target: string, description: string) =>
  z.array(z.string().min(1)).meta({ description: `${description} (the platform's ids of records of ${target})`, [REFERENCES_KEYWORD]: target });

/** One of a closed set of values. */
export function oneOf<const V extends readonly [string, ...string[]]>(values: V, description: string) {
  return z.enum(values).meta({ description });
}
oneOf.nullable = <const V extends readonly [string, ...string[]]>(values: V, description: string) => z.enum(values).nullable().meta({ description });
