// A request body's JSON, read once for every edge (the API, Link): where the text breaks (line and
// column), and in a value that parses, the first string or name that cannot be stored as text and
// the first value nested deeper than MAX_JSON_DEPTH, each named by its field path.
import { MAX_JSON_DEPTH, positionAt, readJsonText } from "./json-text";
import { fieldPath, textProblem } from "./text";

export type JsonInput =
  | { ok: true; value: unknown }
  /** The text is not JSON: what broke, and where. */
  | { ok: false; syntax: true; message: string; offset: number; line: number; column: number }
  /** The JSON holds something no field may: `field` is its path ("" for the whole body). */
  | { ok: false; syntax: false; field: string; message: string };

export function readJsonInput(text: string): JsonInput {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Only a text that fails is scanned again, for its position: JSON.parse is far faster.
    const scanned = readJsonText(text);
    if (!scanned.ok) return { ok: false, syntax: true, message: scanned.message, offset: scanned.offset, line: scanned.line, column: scanned.column };
    return { ok: false, syntax: true, message: "The text is not JSON", offset: 0, ...positionAt(text, 0) };
  }
  const problem = valueProblem(value, [], 0);
  return problem ? { ok: false, syntax: false, field: fieldPath(problem.path), message: problem.message } : { ok: true, value };
}

/** "at line 3, column 9" for a syntax failure, the words every edge uses. */
export const where = (input: { line: number; column: number }) => `at line ${input.line}, column ${input.column}`;

function valueProblem(value: unknown, path: (string | number)[], depth: number): { path: (string | number)[]; message: string } | null {
  if (typeof value === "string") {
    const problem = textProblem(value);
    return problem ? { path, message: problem } : null;
  }
  if (typeof value !== "object" || value === null) return null;
  if (depth >= MAX_JSON_DEPTH) return { path, message: `nests deeper than ${MAX_JSON_DEPTH} levels` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = valueProblem(value[i], [...path, i], depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  for (const [key, inner] of Object.entries(value)) {
    const named = textProblem(key);
    if (named) return { path: [...path, key], message: `the name ${named}` };
    const problem = valueProblem(inner, [...path, key], depth + 1);
    if (problem) return problem;
  }
  return null;
}
