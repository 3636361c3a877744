// Reading a JSON request body against a zod schema: a bad body answers 400 naming the first bad field.
import type { z } from "zod";
import { ApiError, invalid } from "./errors";

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
  const issue = result.error.issues[0];
  const field = issue.path.length ? issue.path.join(".") : issue.code === "unrecognized_keys" ? issue.keys.join(", ") : "body";
  throw invalid(field, issue.code === "unrecognized_keys" ? "unknown field" : issue.message);
}
