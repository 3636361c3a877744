// JSON read with positions: a syntax error is named by line and column (V8's own messages on Node 20
// often give neither), and a valid text maps each field path the library names
// (`resources[1].query.ticket_id`, the API's notation) to where it is written, so a validation
// problem can point at its line. The sync job editor reads its text with it; the API and Link use it
// to say where a body's JSON broke (lib/input/json.ts).

export interface TextPosition {
  line: number;
  column: number;
}

export type JsonText =
  { ok: true; value: unknown; positions: ReadonlyMap<string, number> } | { ok: false; message: string; offset: number; line: number; column: number };

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** How deep values may nest: JSON Schemas and args nest a few levels; 10,000 levels only cost stack. */
export const MAX_JSON_DEPTH = 64;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);

/** What stands at `at`, for a message: a whole string token when one starts there. */
function describe(text: string, at: number): string {
  const char = text[at];
  if (char === undefined) return "the end of the text";
  if (char === "\n") return "a line break";
  if (char === '"') {
    const token = /^"(?:[^"\\\n]|\\.){0,40}"?/.exec(text.slice(at))?.[0] ?? char;
    return `the string ${token}`;
  }
  return `"${char}"`;
}

const memberPath = (path: string, key: string) => (path ? `${path}.${key}` : key);

class Scanner {
  private at = 0;
  readonly positions = new Map<string, number>();

  constructor(private readonly text: string) {}

  read(): void {
    this.value("", 0);
    this.space();
    if (this.at < this.text.length) this.fail(`Unexpected ${describe(this.text, this.at)} after the end of the JSON value`);
  }

  private fail(message: string, at = this.at): never {
    throw new JsonSyntaxError(message, at);
  }

  private space(): void {
    while (this.at < this.text.length && WHITESPACE.has(this.text[this.at])) this.at++;
  }

  private value(path: string, depth: number): void {
    this.space();
    if (!this.positions.has(path)) this.positions.set(path, this.at);
    const char = this.text[this.at];
    if ((char === "{" || char === "[") && depth >= MAX_JSON_DEPTH) this.fail(`Values nest deeper than ${MAX_JSON_DEPTH} levels`);
    if (char === "{") return this.object(path, depth + 1);
    if (char === "[") return this.array(path, depth + 1);
    if (char === '"') return void this.string();
    if (char === "-" || (char >= "0" && char <= "9")) return this.number();
    for (const literal of ["true", "false", "null"]) {
      if (this.text.startsWith(literal, this.at)) {
        this.at += literal.length;
        return;
      }
    }
    if (char === "'") this.fail("Strings take double quotes, not single quotes");
    this.fail(`Expected a value, found ${describe(this.text, this.at)}`);
  }

  private object(path: string, depth: number): void {
    this.at++;
    this.space();
    if (this.text[this.at] === "}") {
      this.at++;
      return;
    }
    for (;;) {
      this.space();
      const start = this.at;
      if (this.text[this.at] === "}") this.fail("Remove the comma before }: JSON allows no trailing comma");
      if (this.text[this.at] !== '"') this.fail(`Expected a property name in double quotes, found ${describe(this.text, this.at)}`);
      const key = this.string();
      this.positions.set(memberPath(path, key), start);
      this.space();
      if (this.text[this.at] !== ":") this.fail(`Expected ":" after the property name "${key}", found ${describe(this.text, this.at)}`);
      this.at++;
      this.value(memberPath(path, key), depth);
      this.space();
      const next = this.text[this.at];
      if (next === ",") {
        this.at++;
        continue;
      }
      if (next === "}") {
        this.at++;
        return;
      }
      this.fail(`Expected "," or "}" after the value of "${key}", found ${describe(this.text, this.at)}`);
    }
  }

  private array(path: string, depth: number): void {
    this.at++;
    this.space();
    if (this.text[this.at] === "]") {
      this.at++;
      return;
    }
    for (let index = 0; ; index++) {
      this.space();
      if (this.text[this.at] === "]") this.fail("Remove the comma before ]: JSON allows no trailing comma");
      this.value(`${path}[${index}]`, depth);
      this.space();
      const next = this.text[this.at];
      if (next === ",") {
        this.at++;
        continue;
      }
      if (next === "]") {
        this.at++;
        return;
      }
      this.fail(`Expected "," or "]" after an array element, found ${describe(this.text, this.at)}`);
    }
  }

  private string(): string {
    const start = this.at;
    this.at++;
    while (this.at < this.text.length) {
      const char = this.text[this.at];
      if (char === '"') {
        this.at++;
        return JSON.parse(this.text.slice(start, this.at)) as string;
      }
      if (char === "\n" || char === "\r") this.fail("The string is not closed before the end of the line");
      if (char < " ") this.fail("Control characters must be escaped in a string");
      if (char === "\\") {
        const escape = this.text[this.at + 1];
        if (escape === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.at + 2, this.at + 6))) this.fail("\\u takes four hexadecimal digits");
          this.at += 6;
          continue;
        }
        if (escape === undefined || !'"\\/bfnrt'.includes(escape)) this.fail(`Unknown escape \\${escape ?? ""}`);
        this.at += 2;
        continue;
      }
      this.at++;
    }
    this.fail("The string is not closed", start);
  }

  private number(): void {
    NUMBER.lastIndex = this.at;
    const match = NUMBER.exec(this.text);
    if (!match) this.fail(`Expected a number, found ${describe(this.text, this.at)}`);
    this.at += match[0].length;
  }
}

/** 1-based line and column of a character offset. */
export function positionAt(text: string, offset: number): TextPosition {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

export function readJsonText(text: string): JsonText {
  const scanner = new Scanner(text);
  try {
    if (!text.trim()) throw new JsonSyntaxError("The definition is empty: start from a template", 0);
    scanner.read();
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return { ok: false, message: error.message, offset: error.offset, ...positionAt(text, error.offset) };
  }
  return { ok: true, value: JSON.parse(text) as unknown, positions: scanner.positions };
}

/**
 * Where a field the library named is written: the field itself, or its nearest written ancestor
 * (a missing `resources[2].resource` points at `resources[2]`). Null when only the root is left.
 */
export function locateField(positions: ReadonlyMap<string, number>, field: string): number | null {
  let path = field;
  while (path) {
    const offset = positions.get(path);
    if (offset !== undefined) return offset;
    const parent = path.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
    if (parent === path) return null;
    path = parent;
  }
  return null;
}
