// Conversions connectors use to put a platform's values in the unified models' forms (fields.ts).
// Amounts become decimal strings written to at least their currency's minor unit ("21524.8" USD →
// "21524.80", 1500 JPY → "1500"), never cut: a platform's extra precision (unit prices to 4 places)
// is kept. Numbers are converted from JavaScript's shortest round-trip form, which is the platform's
// own text for every amount that has fewer than 16 significant digits.

/** ISO 4217 currencies whose minor unit is not a hundredth. */
const MINOR_DIGITS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** Digits after the point of `currency`'s minor unit (2 for most). */
export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency] ?? 2;
}

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * An amount as a decimal string, at least as precise as `currency`'s minor unit; null for a missing or
 * unreadable value (the contract then says whether the field may be null).
 */
export function decimalString(value: unknown, currency?: string | null): string | null {
  let text: string;
  // Numbers (most amounts) need no cleaning: String() writes no leading zeros and no "-0".
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return null;
    text = plain(value);
  } else if (typeof value === "string") {
    text = value.trim();
    if (!PLAIN_DECIMAL.test(text)) return null;
    if (text.charCodeAt(text.charCodeAt(0) === 45 ? 1 : 0) === 48) text = text.replace(/^(-?)0+(?=\d)/, "$1");
  } else return null;
  if (currency) {
    const digits = minorDigits(currency);
    const dot = text.indexOf(".");
    const have = dot < 0 ? 0 : text.length - dot - 1;
    if (have < digits) text = (dot < 0 ? `${text}.` : text) + "0".repeat(digits - have);
  }
  // Minus zero, however written, is zero.
  return text.charCodeAt(0) === 45 && /^-[0.]*$/.test(text) ? text.slice(1) : text;
}

/** A number without an exponent: 1e-7 → "0.0000001". */
function plain(value: number): string {
  const text = String(value);
  if (!text.includes("e")) return text;
  return value.toLocaleString("en-US", { useGrouping: false, maximumFractionDigits: 20 });
}

/** An instant in UTC ISO-8601 (toISOString's form) from the platform's text, or null. */
export function utcTimestamp(value: unknown): string | null {
  if (typeof value !== "string" && typeof value !== "number") return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A platform id as a string (platforms use numbers and strings), or null. */
export function idString(value: unknown): string | null {
  return value === null || value === undefined || value === "" ? null : String(value);
}

/** A string field, or null when the platform left it out or sent another type. */
export function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
