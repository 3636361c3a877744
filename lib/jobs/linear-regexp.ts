// Regular expressions written by users (a sync job's args_schema `pattern` and `patternProperties`)
// run on RE2 (re2js, a JavaScript port), whose matching time is linear in the input, never on V8's
// backtracking engine: `^(a+)+$` against 28 a's and a "!" blocked the server's event loop for 2 s on
// V8, doubling with each character; on RE2 it takes well under a millisecond at any length.
//
// A pattern must be valid ECMA-262 (what JSON Schema specifies) and compile on RE2, which has no
// lookahead, lookbehind or backreferences; the few ECMA-only spellings (`\u0041`, `(?<name>`, `\cA`,
// `[^]`) are translated first. Where the two dialects differ in meaning, RE2's holds: `\s` and `.`
// treat only ASCII whitespace and `\n` specially.
import { RE2JS } from "re2js";

/** A pattern longer than this is refused: compiling a 600-character alternation on RE2 took 20-40 ms here. */
export const MAX_PATTERN_LENGTH = 512;

export interface LinearRegExp {
  test(input: string): boolean;
  toString(): string;
}

const compiled = new Map<string, LinearRegExp>();
/** Compiled patterns kept: a job's patterns are compiled once per process, not per run. */
const CACHE_SIZE = 500;

/** Why a pattern cannot be used, or null. The pattern is compiled, never executed, on V8. */
export function patternProblem(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `is ${pattern.length} characters long; a pattern may have at most ${MAX_PATTERN_LENGTH}`;
  try {
    new RegExp(pattern, "u");
  } catch (error) {
    return `is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (hasNamedBackreference(pattern))
    return "uses a backreference (\\k<name>), which the linear-time engine cannot run; lookahead, lookbehind and backreferences are not supported";
  try {
    linearRegExp(pattern);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^error parsing regexp: /, "") : String(error);
    return `cannot run on the linear-time engine (${reason}); lookahead, lookbehind and backreferences are not supported`;
  }
  return null;
}

/** `\k<name>` is the one construct RE2's translation would turn into a literal instead of refusing. */
function hasNamedBackreference(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== "\\") continue;
    if (pattern[i + 1] === "k") return true;
    i++;
  }
  return false;
}

/** The pattern compiled on RE2; throws when RE2 cannot run it or it is over the length cap. */
export function linearRegExp(pattern: string): LinearRegExp {
  const cached = compiled.get(pattern);
  if (cached) return cached;
  if (pattern.length > MAX_PATTERN_LENGTH) throw new Error(`a pattern may have at most ${MAX_PATTERN_LENGTH} characters`);
  const re2 = RE2JS.compile(RE2JS.translateRegExp(pattern));
  // ajv keys compiled patterns by toString(): each pattern needs its own, or a schema's patterns collapse into its first.
  const regexp: LinearRegExp = { test: (input) => re2.test(input), toString: () => `/${pattern}/u` };
  if (compiled.size >= CACHE_SIZE) compiled.delete(compiled.keys().next().value!);
  compiled.set(pattern, regexp);
  return regexp;
}

/** The engine as ajv's `code.regExp` option takes it (ajv passes "u"; RE2 always matches code points). */
export const ajvRegExpEngine = Object.assign((pattern: string) => linearRegExp(pattern), { code: "linearRegExp" });
