// Validating request input against zod schemas: a bad body or query answers 400 naming the first bad field.
import type { z } from "zod";
import { ApiError, invalid } from "./errors";

/** The first problem of a failed parse, as an API error naming its field. */
export function firstProblem(error: z.ZodError, where: "body" | "query"): ApiError {
  const issue = error.issues[0];
  const field = issue.path.length ? issue.path.join(".") : issue.code === "unrecognized_keys" ? issue.keys.join(", ") : where;
  return invalid(field, issue.code === "unrecognized_keys" ? "unknown field" : issue.message);
}

export async function readBody<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
  let body: unknown;
  try {
    const text = await request.text();
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError(400, "INVALID_REQUEST", "INVALID_JSON", "The body is not valid JSON");
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw firstProblem(result.error, "body");
}

/** The query string as an object (the first value of each name), parsed by the operation's schema. */
export function readQuery<T>(url: URL, schema: z.ZodType<T>): T {
  const values: Record<string, string> = {};
  for (const [name, value] of url.searchParams) if (!(name in values)) values[name] = value;
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  throw firstProblem(result.error, "query");
}
