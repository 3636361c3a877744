// Zod's issues as the problems every edge reports (the API's 400s, sync job definitions, the
// dashboard's forms): the field as the API names it (`resources[0].query.status`) and a sentence that
// follows that name ("must not be empty"). Zod's own wording describes the validator ("Too small:
// expected string to have >=1 characters"), so it is replaced; a message a schema wrote itself is
// kept as written.
import type { z } from "zod";
import { fieldPath } from "./text";

export interface IssueProblem {
  field: string;
  message: string;
}

type Issue = z.core.$ZodIssue;

/** Zod's default English messages all start so; a schema's own message does not. */
const ZOD_WORDING = /^(Invalid (input|option|key|element|value|string|URL|email|date|UUID|number)|Too (small|big):|Unrecognized keys?:)/;

const KINDS: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  date: "a date",
  bigint: "a whole number",
};

function plural(count: number | bigint, one: string, many = `${one}s`): string {
  return `${count} ${Number(count) === 1 ? one : many}`;
}

function sizeUnit(origin: string): [string, string] {
  if (origin === "string") return ["character", "characters"];
  if (origin === "array" || origin === "set") return ["item", "items"];
  if (origin === "file") return ["byte", "bytes"];
  return ["", ""];
}

/** A sentence for one issue, written to follow the field's name. */
export function issueMessage(issue: Issue): string {
  if (!ZOD_WORDING.test(issue.message)) return issue.message;
  switch (issue.code) {
    case "invalid_type": {
      if (/received undefined$/.test(issue.message)) return "is required";
      return `must be ${KINDS[issue.expected] ?? issue.expected}`;
    }
    case "too_small": {
      const minimum = issue.minimum;
      if (issue.origin === "string" && Number(minimum) <= 1) return "must not be empty";
      if ((issue.origin === "array" || issue.origin === "set") && Number(minimum) <= 1) return "must have at least one item";
      const [one, many] = sizeUnit(issue.origin);
      if (one) return `must be at least ${plural(minimum, one, many)}${issue.inclusive === false ? " (more than that)" : ""}`;
      return `must be ${issue.inclusive === false ? "more than" : "at least"} ${minimum}`;
    }
    case "too_big": {
      const maximum = issue.maximum;
      const [one, many] = sizeUnit(issue.origin);
      if (one) return `must be at most ${plural(maximum, one, many)}`;
      return `must be ${issue.inclusive === false ? "less than" : "at most"} ${maximum}`;
    }
    case "invalid_value":
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_format":
      if (issue.format === "url") return "must be a URL, such as https://example.com";
      if (issue.format === "email") return "must be an email address, such as ada@example.com";
      if (issue.format === "regex") return "is not in the expected format";
      return `must be a valid ${issue.format}`;
    case "not_multiple_of":
      return `must be a multiple of ${issue.divisor}`;
    case "unrecognized_keys":
      return "unknown field";
    case "invalid_union":
      return "is not any of the accepted forms";
    case "invalid_key":
      return "has a key that is not accepted";
    case "invalid_element":
      return "has an element that is not accepted";
    default:
      return "is not valid";
  }
}

/** Where an issue is: an unknown key is named where it is (`batches[0].until`, not `batches[0]`). */
export function issueField(issue: Issue, root = "body"): string {
  const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : issue.path;
  return path.length ? fieldPath(path) : root;
}

/** Every issue of a failed parse, each by its field, in the order zod found them. */
export function issueProblems(error: z.ZodError, root = "body"): IssueProblem[] {
  return error.issues.map((issue) => ({ field: issueField(issue, root), message: issueMessage(issue) }));
}

/**
 * A dashboard form's errors: for each of its fields, the first problem zod found, as a sentence
 * under the field's label ("Must not be empty"); a schema's own message is kept as written. `fieldOf`
 * names the form's field for an issue's first path key (undefined: not a field of this form).
 */
export function formFieldErrors<F extends string>(error: z.ZodError, fieldOf: (key: string) => F | undefined = (key) => key as F): Partial<Record<F, string>> {
  const errors: Partial<Record<F, string>> = {};
  for (const issue of error.issues) {
    const field = fieldOf(String(issue.path[0] ?? ""));
    if (field === undefined) continue;
    const message = issueMessage(issue);
    errors[field] ??= message.charAt(0).toUpperCase() + message.slice(1);
  }
  return errors;
}
