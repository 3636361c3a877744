// JSON read with positions: a syntax error is named by line and column (V8's own messages on Node 20
// often give neither), and a valid text maps each field path the library names
// (`resources[1].query.ticket_id`, the API's notation, as fieldPath writes it) to where it is written,
// so a validation problem can point at its line. The sync job editor reads its text with it on every
// keystroke; the API and Link use it to say where a body's JSON broke (lib/input/json.ts).
//
// jsonc-parser 3.3.1 (Microsoft's, VS Code's) scans and parses: its `visit` walks the text once, calling
// back with each token's offset, and reports the first error by ParseErrorCode and offset. Made strict
// (no comments, no trailing comma, no empty text) it refuses what JSON.parse refuses. This adapter adds
// what it does not give: the field paths, the nesting limit (refused where the 65th level opens, so a
// text of 10,000 `[` never recurses past it), and our messages, which name what was expected from
// where the walk stood and what stands at the offset. The value is JSON.parse's, for its handling of
// `__proto__` and duplicate names (an own property; the last one wins).
// A 1 MB definition reads in 40-80 ms, most of it filling the positions map (JSON.parse alone: 2 ms);
// a 2.5 KB one, the editor's usual, in 55 µs a keystroke.
// Its ESM build is imported by path: the package's `main` is a UMD build whose inner requires
// bundlers cannot follow (microsoft/node-jsonc-parser#57; Next's server build prefers `main`), and the
// package has no `exports` map to choose the ESM one.
import { printParseErrorCode, visit, type ParseErrorCode } from "jsonc-parser/lib/esm/main.js";

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

const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

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

const STRING_STOP = /["\\\u0000-\u001f]/g;

/** The first thing the string opening at `start` may not hold: jsonc-parser names the token, not the spot. */
function stringError(text: string, start: number): JsonSyntaxError {
  STRING_STOP.lastIndex = start + 1;
  for (let stop = STRING_STOP.exec(text); stop && stop[0] !== '"'; stop = STRING_STOP.exec(text)) {
    const at = stop.index;
    if (stop[0] === "\n" || stop[0] === "\r") return new JsonSyntaxError("The string is not closed before the end of the line", at);
    if (stop[0] !== "\\") return new JsonSyntaxError("Control characters must be escaped in a string", at);
    const escape = text[at + 1];
    if (escape === "u" && !/^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) return new JsonSyntaxError("\\u takes four hexadecimal digits", at);
    if (escape === undefined || !'"\\/bfnrtu'.includes(escape)) return new JsonSyntaxError(`Unknown escape \\${escape ?? ""}`, at);
    STRING_STOP.lastIndex = at + (escape === "u" ? 6 : 2);
  }
  return new JsonSyntaxError("The string is not closed", start);
}

/**
 * What the walk expects next: a value (`element`: after a comma in an array), a property name
 * (`member`: after a comma in an object), the colon after a name, or what follows a value.
 */
type Expected = "value" | "element" | "key" | "member" | "colon" | "next";

interface Container {
  array: boolean;
  /** The container's own path; an object's members are `${prefix}${name}` (no dot at the root). */
  path: string;
  prefix: string;
  /** In an object, the name read last and its path; in an array, the element's index. */
  name: string;
  member: string;
  index: number;
}

function scan(text: string): Map<string, number> {
  const positions = new Map<string, number>();
  const open: Container[] = [];
  let expected: Expected = "value";

  // A member's value is found at its name, recorded when the name is read; an element at the value.
  const value = (offset: number): string => {
    expected = "next";
    const inside = open[open.length - 1];
    if (inside && !inside.array) return inside.member;
    const path = inside ? `${inside.path}[${inside.index}]` : "";
    if (!positions.has(path)) positions.set(path, offset);
    return path;
  };
  const begin = (array: boolean, offset: number) => {
    if (open.length >= MAX_JSON_DEPTH) throw new JsonSyntaxError(`Values nest deeper than ${MAX_JSON_DEPTH} levels`, offset);
    const path = value(offset);
    open.push({ array, path, prefix: open.length ? `${path}.` : "", name: "", member: "", index: 0 });
    expected = array ? "value" : "key";
  };
  // jsonc-parser calls the end of a container also when the text ends inside it, then reports the missing bracket.
  const end = (close: string, offset: number) => {
    if (text[offset] !== close) return;
    open.pop();
    expected = "next";
  };

  const error = (code: ParseErrorCode, offset: number, length: number): JsonSyntaxError => {
    const kind = printParseErrorCode(code);
    const char = text[offset];
    const found = describe(text, offset);
    if (kind === "InvalidCommentToken") return new JsonSyntaxError("Remove the comment: JSON allows no comments", offset);
    if (expected === "value" || expected === "element") {
      if (char === '"') return stringError(text, offset);
      // A number cut short ("1.", "2e", "-"): the digit is missing where the token stops.
      if (char === "-" || (char >= "0" && char <= "9"))
        return new JsonSyntaxError(`Expected a digit, found ${describe(text, offset + length)}`, offset + length);
      if (expected === "element" && char === "]") return new JsonSyntaxError("Remove the comma before ]: JSON allows no trailing comma", offset);
      if (char === "'") return new JsonSyntaxError("Strings take double quotes, not single quotes", offset);
      return new JsonSyntaxError(`Expected a value, found ${found}`, offset);
    }
    if (expected === "key" || expected === "member") {
      if (char === '"') return stringError(text, offset);
      if (expected === "member" && char === "}") return new JsonSyntaxError("Remove the comma before }: JSON allows no trailing comma", offset);
      return new JsonSyntaxError(`Expected a property name in double quotes, found ${found}`, offset);
    }
    const inside = open.at(-1);
    if (expected === "colon") return new JsonSyntaxError(`Expected ":" after the property name "${inside?.name}", found ${found}`, offset);
    if (!inside) return new JsonSyntaxError(`Unexpected ${found} after the end of the JSON value`, offset);
    if (inside.array) return new JsonSyntaxError(`Expected "," or "]" after an array element, found ${found}`, offset);
    return new JsonSyntaxError(`Expected "," or "}" after the value of "${inside.name}", found ${found}`, offset);
  };

  visit(
    text,
    {
      onObjectBegin: (offset) => begin(false, offset),
      onArrayBegin: (offset) => begin(true, offset),
      onObjectEnd: (offset) => end("}", offset),
      onArrayEnd: (offset) => end("]", offset),
      onObjectProperty: (name: string, offset) => {
        const inside = open[open.length - 1];
        inside.name = name;
        inside.member = `${inside.prefix}${name}`;
        positions.set(inside.member, offset);
        expected = "colon";
      },
      onLiteralValue: (_value: unknown, offset) => void value(offset),
      onSeparator: (character) => {
        const inside = open[open.length - 1];
        if (character === ":") expected = "value";
        else if (inside.array) {
          inside.index++;
          expected = "element";
        } else expected = "member";
      },
      // The first error is the one to name: what follows it is jsonc-parser's recovery.
      onError: (code, offset, length) => {
        throw error(code, offset, length);
      },
    },
    STRICT,
  );
  return positions;
}

/** 1-based line and column of a character offset. */
export function positionAt(text: string, offset: number): TextPosition {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

export function readJsonText(text: string): JsonText {
  let positions: Map<string, number>;
  try {
    if (!text.trim()) throw new JsonSyntaxError("The definition is empty: start from a template", 0);
    positions = scan(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return { ok: false, message: error.message, offset: error.offset, ...positionAt(text, error.offset) };
  }
  return { ok: true, value: JSON.parse(text) as unknown, positions };
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
