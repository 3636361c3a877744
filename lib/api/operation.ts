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
  /**
   * Top-level fields of the success answer that hold a secret shown once (a signing secret, an access
   * token, a link token or a URL carrying one). The answer an Idempotency-Key keeps has them set to null
   * before it is stored, so a replay never reveals them and nothing secret rests in
   * api_idempotency_keys; the replay names them in `Idempotent-Withheld` (lib/api/idempotency.ts), and
   * the OpenAPI document says so in the operation's description.
   */
  secretFields?: readonly string[];
}

/** `{ id: string }` for "/connections/{id}". */
export type PathParams<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? { [K in P]: string } & PathParams<Rest> : unknown;

export type Output<T> = T extends z.ZodType ? z.output<T> : undefined;

export function defineOperation<const Path extends string, Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined>(
  operation: Operation<Path, Q, B>,
): Operation<Path, Q, B> {
  return operation;
}
