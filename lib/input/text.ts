// What a string must be to be stored and compared as text: PostgreSQL refuses NUL in text and jsonb
// ("invalid byte sequence for encoding UTF8: 0x00", an error past the edge), and a lone UTF-16
// surrogate has no UTF-8 form (it would be stored as U+FFFD, silently another string).

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `value` cannot be taken as text, or null. */
export function textProblem(value: string): string | null {
  if (value.includes("\u0000")) return "must not contain the NUL character (\\u0000)";
  if (LONE_SURROGATE.test(value)) return "must not contain a lone UTF-16 surrogate (\\ud800 to \\udfff unpaired)";
  return null;
}

/** `["batches", 0, "objects"]` → `batches[0].objects`, the way every edge names fields. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((part, index) => (typeof part === "number" ? `[${part}]` : `${index > 0 ? "." : ""}${String(part)}`)).join("");
}

/** A JSON Pointer's tokens (ajv's `instancePath`, `/resources/0/query`) as path parts: an array index is a number, so fieldPath writes `resources[0].query`. */
export function pointerParts(pointer: string): (string | number)[] {
  return pointer
    .split("/")
    .slice(1)
    .map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((token) => (/^(0|[1-9]\d*)$/.test(token) ? Number(token) : token));
}
