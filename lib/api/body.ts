// The API's edge: path, query and body validated against an operation's zod schemas, a bad one
// answering 400 naming the first bad field, after lib/input has refused what no field may hold
// (NUL characters, lone surrogates, JSON nested past its depth) and said where a JSON text broke.
import { z } from "zod";
import { issueField, issueMessage, readJsonInput, textProblem, where } from "@/lib/input";
import { ApiError, invalid } from "./errors";

/** The first problem of a failed parse, as an API error naming its field. */
export function firstProblem(error: z.ZodError, location: "body" | "query" | "path"): ApiError {
  const issue = error.issues[0];
  const unknown = location === "query" ? "unknown query parameter" : "unknown field";
  return invalid(issueField(issue, location), issue.code === "unrecognized_keys" ? unknown : issueMessage(issue));
}

/** The body text (read by lib/input's readBodyText, within the operation's limit) as JSON, parsed by the operation's schema. */
export function parseBody<T>(text: string, schema: z.ZodType<T>): T {
  // An empty body reads as {}: a body whose fields are all optional may be left out.
  const input = readJsonInput(text.trim() ? text : "{}");
  if (!input.ok && input.syntax) {
    throw new ApiError("INVALID_JSON", `The body is not valid JSON: ${input.message} ${where(input)} (character ${input.offset})`);
  }
  if (!input.ok) throw invalid(input.field || "body", input.message);
  const result = schema.safeParse(input.value);
  if (result.success) return result.data;
  throw firstProblem(result.error, "body");
}

/** Every query (and its absence) is checked against a schema: an operation without one takes no parameter. */
const NO_QUERY = z.object({}).strict();

/** The query string as an object (the first value of each name), parsed by the operation's schema. */
export function readQuery<T>(url: URL, schema: z.ZodType<T> | undefined): T {
  const values: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    const problem = textProblem(value);
    if (problem) throw invalid(textProblem(name) ? "query" : name, problem);
    if (!(name in values)) values[name] = value;
  }
  const result = (schema ?? NO_QUERY).safeParse(values);
  if (result.success) return result.data as T;
  throw firstProblem(result.error, "query");
}

/** The route's path parameters, each by its schema (a well-formed id, a key); a parameter without one must at least be text. */
export function readPathParams<T>(params: Record<string, string>, schemas: Record<string, z.ZodType<string>> | undefined): T {
  for (const [name, value] of Object.entries(params)) {
    const schema = schemas?.[name];
    if (!schema) {
      const problem = textProblem(value);
      if (problem) throw invalid(name, problem);
      continue;
    }
    const result = schema.safeParse(value);
    if (!result.success) throw invalid(name, issueMessage(result.error.issues[0]));
  }
  return params as T;
}
