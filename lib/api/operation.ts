// One operation of the public API, declared once: its method and path, its query and body schemas
// (zod), and what it answers. The route handler validates with these schemas (lib/api/handler.ts) and
// the OpenAPI document is generated from the same declarations (lib/api/openapi.ts), so the two
// cannot drift. Every operation is listed in lib/api/operations/index.ts.
import type { z } from "zod";

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface Operation<Path extends string = string, Q extends z.ZodType | undefined = z.ZodType | undefined, B extends z.ZodType | undefined = z.ZodType | undefined> {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI path under /api/v1, e.g. "/connections/{id}"; names in braces are the route's params. */
  path: Path;
  tag: string;
  summary: string;
  description?: string;
  /** Path parameters, described. */
  pathParams?: { [K in keyof PathParams<Path>]: string };
  query?: Q;
  body?: B;
  /** Status → description of what is answered; errors always have the error shape. */
  responses: Record<number, string>;
}

/** `{ id: string }` for "/connections/{id}". */
export type PathParams<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? { [K in P]: string } & PathParams<Rest> : unknown;

export type Output<T> = T extends z.ZodType ? z.output<T> : undefined;

export function defineOperation<const Path extends string, Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined>(
  operation: Operation<Path, Q, B>,
): Operation<Path, Q, B> {
  return operation;
}
