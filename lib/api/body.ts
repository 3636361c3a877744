// Validating request input against zod schemas: a bad body or query answers 400 naming the first bad field.
import type { z } from "zod";
import { ApiError, invalid } from "./errors";

/** The first problem of a failed parse, as an API error naming its field. */
export function firstProblem(error: z.ZodError, where: "body" | "query"): ApiError {
  const issue = error.issues[0];
  // An unknown key is named where it is: `batches[0].until`, not `batches[0]`.
  const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : issue.path;
  return invalid(path.length ? fieldPath(path) : where, issue.code === "unrecognized_keys" ? "unknown field" : issue.message);
}

/** `["batches", 0, "objects"]` → `batches[0].objects`, the way the library's own problems name fields. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((part, index) => (typeof part === "number" ? `[${part}]` : `${index > 0 ? "." : ""}${String(part)}`)).join("");
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
