// Malformed requests for the fuzz suite (lib/api/fuzz.test.ts), made from JSON Schemas (the OpenAPI
// document's request bodies and query parameters): wrong types, missing and unknown fields, NUL and
// lone surrogates, huge strings and arrays, out-of-range numbers and dates, forged and overflowing
// cursors, 10,000 levels of nesting, bad JSON, unknown query parameters and malformed path ids.
// Deterministic for a seed: the same cases every run, so a failure can be replayed.

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  minItems?: number;
  default?: unknown;
}

export interface FuzzCase {
  name: string;
  /** Path parameters replacing the valid ones. */
  params?: Record<string, string>;
  /** The query string's pairs, in order; absent = the valid query. */
  query?: [string, string][];
  /** The raw body text; absent = the valid body. */
  body?: string;
  /** Where the API refuses every unknown name, the field its 400 must name. */
  refusedField?: string;
}

/** mulberry32: a small seeded PRNG. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a text, to seed each operation apart (adding one does not change the others' cases). */
export function seedOf(text: string, seed: number): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

export const DEPTH = 10_000;
const NUL = "a\u0000b";
const LONE_SURROGATE = "a\ud800b";
const HUGE_STRING = "x".repeat(100_000);
const DATES = [
  "0000-01-01T00:00:00Z",
  "10000-01-01T00:00:00Z",
  "1969-12-31T23:59:59Z",
  "-000001-01-01T00:00:00Z",
  "+275760-09-13T00:00:00Z",
  "2026-02-30T00:00:00Z",
  "2026-01-01T24:00:00Z",
];
// As JSON number texts: 2^63 and 10^20 do not fit a bigint, 1e308 no integer column.
const NUMBERS = ["-1", "0", "1.5", "-0.0", "2147483648", "9007199254740993", "9223372036854775808", "1e308", "-1e308", "100000000000000000000"];
const NUMERIC_TEXTS = ["-1", "0", "1.5", "1e3", "0x10", " 5", "99999999999999999999", "9223372036854775808", "NaN", "Infinity"];
const b64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
/** Cursors this API never returned: every kind of record cursor with impossible positions, sequence numbers past a bigint, ids with NUL. */
export const FORGED_CURSORS = [
  b64(["r", "0000-01-01T00:00:00.000Z", "1"]),
  b64(["r", "2026-01-01T00:00:00.000Z", "99999999999999999999"]),
  b64(["r", "2026-01-01T00:00:00.000Z", "9223372036854775808"]),
  b64(["r", "-000001-01-01T00:00:00.000Z", "1"]),
  b64(["r", "+275760-09-13T00:00:00.000Z", "1"]),
  b64(["r", "1", "1"]),
  b64(["r", 1, 1]),
  b64(["r", "2026-01-01T00:00:00.000Z"]),
  b64(["p", { a: 1 }]),
  b64(["p", "\u0000"]),
  b64(["e", "0000-01-01T00:00:00.000Z", "evt_01ARZ3NDEKTSV4RRFFQ69G5FAV"]),
  b64(["e", "2026-01-01T00:00:00.000Z", "evt_\u0000"]),
  b64({}),
  b64("null"),
  b64("2026-01-01T00:00:00.000Z|\u0000"),
  b64("0000-01-01T00:00:00.000Z|dlv_01ARZ3NDEKTSV4RRFFQ69G5FAV"),
  "99999999999999999999",
  "9223372036854775808",
  "-1",
  "!!!",
  `conn_${"Z".repeat(25)}\u0000`,
];

const deepArray = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

/** Stands for raw JSON text in a value, replaced after JSON.stringify (10,000 levels do not survive stringify's recursion comfortably). */
const RAW = "\u0001raw\u0001";
const raw = (text: string) => `${RAW}${text}${RAW}`;
function stringify(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0001raw\\u0001(.*?)\\u0001raw\\u0001"/g, (_, text: string) => JSON.parse(`"${text}"`) as string);
}

const BAD_JSON = [
  ["an unclosed object", "{"],
  ["a missing value", '{"a":}'],
  ["single quotes", "{'a':1}"],
  ["a trailing comma", '{"a":1,}'],
  ["a byte-order mark", "\ufeff{}"],
  ["text after the value", "{} x"],
  ["a bare word", "nul"],
  ["a short \\u escape", '{"a":"\\u12"}'],
  ["an unclosed string", '{"a":"x'],
  ["a raw line break in a string", '{"a":"x\ny"}'],
  ["a NUL byte in the text", '{"a":1}\u0000'],
  ["a second line that breaks", '{\n  "a": 1,\n  "b": ]\n}'],
  ["10,000 unclosed arrays", "[".repeat(DEPTH)],
] as const;

function typesOf(schema: JsonSchema): Set<string> {
  const types = new Set<string>();
  const add = (s: JsonSchema) => {
    if (s.type) for (const t of Array.isArray(s.type) ? s.type : [s.type]) types.add(t);
    if (s.enum) for (const v of s.enum) types.add(v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
    for (const inner of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) add(inner);
  };
  add(schema);
  if (types.has("integer")) types.add("number");
  return types;
}

/** The first non-null branch of a union. */
function branch(schema: JsonSchema): JsonSchema {
  const options = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].filter((s) => s.type !== "null");
  return options.length ? { ...options[0], ...branch(options[0]) } : schema;
}

/** A value the schema describes (its default, first enum value, required properties only…). */
export function exampleOf(schema: JsonSchema): unknown {
  if ("const" in schema) return schema.const;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  const s = branch(schema);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  if (type === "string") return s.format === "date-time" ? "2026-01-01T00:00:00Z" : "x";
  if (type === "integer" || type === "number") return s.minimum ?? 1;
  if (type === "boolean") return true;
  if (type === "array") return Array.from({ length: s.minItems ?? 0 }, () => exampleOf(s.items ?? {}));
  if (type === "object" || s.properties) return Object.fromEntries((s.required ?? []).map((name) => [name, exampleOf(s.properties?.[name] ?? {})]));
  return null;
}

/** Wrong and hostile values for a field of `schema`, each with what it is. */
function hostileValues(schema: JsonSchema, next: () => number): [string, unknown][] {
  const types = typesOf(schema);
  const any = types.size === 0;
  const out: [string, unknown][] = [];
  const wrong: [string, unknown][] = [
    ["string", "x"],
    ["number", 1],
    ["boolean", true],
    ["null", null],
    ["object", {}],
    ["array", []],
  ];
  if (!any) for (const [type, value] of wrong) if (!types.has(type)) out.push([`a ${type} instead`, value]);
  if (any || types.has("string")) {
    out.push(
      ["a NUL byte", NUL],
      ["a lone surrogate", LONE_SURROGATE],
      ["100,000 characters", HUGE_STRING],
      ["an empty string", ""],
      ["random characters", randomText(next, 40)],
    );
    const s = branch(schema);
    if (s.format === "date-time" || /date|time|from|to|start|end|since/i.test(s.pattern ?? "")) for (const date of DATES) out.push([`the date ${date}`, date]);
  }
  if (types.has("number")) for (const number of NUMBERS) out.push([`the number ${number}`, raw(number)]);
  if (types.has("array")) {
    const item = exampleOf(branch(schema).items ?? {}) ?? "x";
    out.push(
      ["10,000 elements", Array.from({ length: 10_000 }, () => item)],
      ["an element with a NUL byte", [NUL]],
      ["an element of the wrong type", [{ a: [1] }]],
      ["10,000 nested arrays", raw(deepArray(DEPTH))],
    );
  }
  if (any || types.has("object")) {
    out.push(
      ["10,000 nested objects", raw(deepObject(DEPTH))],
      ["a key with a NUL byte", { "k\u0000": 1 }],
      ["a key with a lone surrogate", { "k\ud800": 1 }],
      ["a value with a NUL byte", { k: NUL }],
      ["10,000 keys", Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]))],
    );
  }
  return out;
}

/** Code units at random, controls, surrogates and all. */
function randomText(next: () => number, length: number): string {
  let text = "";
  for (let i = 0; i < length; i++) {
    const pick = next();
    text += String.fromCharCode(pick < 0.2 ? Math.floor(next() * 32) : pick < 0.3 ? 0xd800 + Math.floor(next() * 0x800) : Math.floor(next() * 0xffff));
  }
  return text;
}

type Path = (string | number)[];
const label = (path: Path) => path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${p}`)).join("") || "(body)";

function withValue(base: unknown, path: Path, value: unknown, remove = false): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let node = copy;
  for (const part of path.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (remove) delete node[last];
  else node[last] = value;
  return copy;
}

/** Every field of the body (nested objects and the first element of arrays, three levels down) with its schema. */
function fields(schema: JsonSchema, value: unknown, path: Path, depth: number): { path: Path; schema: JsonSchema; required: boolean; parent: JsonSchema }[] {
  const s = branch(schema);
  if (depth > 3 || !s.properties || typeof value !== "object" || value === null || Array.isArray(value)) return [];
  const out: ReturnType<typeof fields> = [];
  for (const [name, property] of Object.entries(s.properties)) {
    const child = [...path, name];
    out.push({ path: child, schema: property, required: (s.required ?? []).includes(name), parent: s });
    const inner = (value as Record<string, unknown>)[name];
    out.push(...fields(property, inner, child, depth + 1));
    const items = branch(property).items;
    if (items && Array.isArray(inner) && inner.length) out.push(...fields(items, inner[0], [...child, 0], depth + 1));
  }
  return out;
}

/** Malformed bodies for an operation whose body is described by `schema`, starting from the valid `base`. */
export function bodyCases(schema: JsonSchema, base: unknown, next: () => number, limitBytes: number): FuzzCase[] {
  const cases: FuzzCase[] = BAD_JSON.map(([what, text]) => ({ name: `body: ${what}`, body: text }));
  for (const [what, text] of [
    ["null", "null"],
    ["an array", "[]"],
    ["a number", "1"],
    ["a string", '"x"'],
    ["10,000 nested arrays", deepArray(DEPTH)],
    ["10,000 nested objects", deepObject(DEPTH)],
  ]) {
    cases.push({ name: `body: ${what}`, body: text });
  }
  if (typeof base === "object" && base !== null && !Array.isArray(base)) {
    cases.push({ name: "body: an unknown field", body: stringify({ ...base, zz_unknown: 1 }), refusedField: "zz_unknown" });
    cases.push({ name: "body: an unknown field with a NUL byte in its name", body: stringify({ ...base, "zz\u0000": 1 }) });
    cases.push({ name: "body: over the size limit", body: stringify({ ...base, zz_padding: "x".repeat(limitBytes) }) });
  }
  for (const field of fields(schema, base, [], 0)) {
    const where = label(field.path);
    if (field.required) cases.push({ name: `${where}: missing`, body: stringify(withValue(base, field.path, undefined, true)) });
    for (const [what, value] of hostileValues(field.schema, next))
      cases.push({ name: `${where}: ${what}`, body: stringify(withValue(base, field.path, value)) });
    const properties = branch(field.schema).properties;
    const inner = field.path.reduce<unknown>((node, part) => (node as Record<string | number, unknown> | undefined)?.[part], base);
    if (properties && typeof inner === "object" && inner !== null && !Array.isArray(inner)) {
      cases.push({ name: `${where}: an unknown field`, body: stringify(withValue(base, [...field.path, "zz_unknown"], 1)) });
    }
  }
  return cases;
}

export interface QueryParameter {
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}

/** Malformed query strings: hostile values for each parameter, unknown and repeated parameters. */
export function queryCases(parameters: QueryParameter[], base: [string, string][], next: () => number): FuzzCase[] {
  const cases: FuzzCase[] = [
    { name: "query: an unknown parameter", query: [...base, ["zz_unknown", "1"]], refusedField: "zz_unknown" },
    { name: "query: an unknown parameter with a NUL byte", query: [...base, ["zz\u0000", "1"]] },
  ];
  const set = (name: string, value: string): [string, string][] => [...base.filter(([n]) => n !== name), [name, value]];
  for (const parameter of parameters) {
    const schema = parameter.schema ?? {};
    const values: [string, string][] = [
      ["a NUL byte", NUL],
      ["a lone surrogate", LONE_SURROGATE],
      ["10,000 characters", "x".repeat(10_000)],
      ["an empty value", ""],
      ["random characters", randomText(next, 30)],
    ];
    if (parameter.name.includes("cursor")) values.push(...FORGED_CURSORS.map((cursor, i): [string, string] => [`forged cursor ${i}`, cursor]));
    if (schema.pattern === "^\\d+$" || typesOf(schema).has("number"))
      values.push(...NUMERIC_TEXTS.map((text): [string, string] => [`the number ${text}`, text]));
    if (schema.format === "date-time") values.push(...DATES.map((date): [string, string] => [`the date ${date}`, date]));
    if (schema.enum) values.push(["a value not in the list", "nope"], ["a value in another case", String(schema.enum[0]).toUpperCase() + "x"]);
    for (const [what, value] of values) cases.push({ name: `query ${parameter.name}: ${what}`, query: set(parameter.name, value) });
    cases.push({
      name: `query ${parameter.name}: twice`,
      query: [...set(parameter.name, base.find(([n]) => n === parameter.name)?.[1] ?? "x"), [parameter.name, NUL]],
    });
  }
  return cases;
}

/** Malformed path parameters: ids with NUL bytes, of another kind, too long, not ids at all. */
export function pathCases(valid: Record<string, string>): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (const [name, value] of Object.entries(valid)) {
    const values: [string, string][] = [
      ["a NUL byte inside", `${value.slice(0, 6)}\u0000${value.slice(7)}`],
      ["a NUL byte after", `${value}\u0000`],
      ["a lone surrogate", `${value}\ud800`],
      ["10,000 characters", `${value}${"x".repeat(10_000)}`],
      ["an empty value", ""],
      ["another kind's id", `zzz_${value.slice(value.indexOf("_") + 1)}`],
      ["lower case", value.toLowerCase()],
      ["a trailing space", `${value} `],
      ["a path", "../../etc/passwd"],
      ["a percent-encoded NUL", "%00"],
      ["digits past a bigint", "9".repeat(40)],
      ["an emoji", "🙂"],
    ];
    for (const [what, bad] of values) cases.push({ name: `path ${name}: ${what}`, params: { ...valid, [name]: bad } });
  }
  return cases;
}

/** At most `count` of `cases`, picked with `next` (all of them when there are fewer). */
export function pick<T>(cases: T[], count: number, next: () => number): T[] {
  if (cases.length <= count) return cases;
  const pool = [...cases];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count);
}
