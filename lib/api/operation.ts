// One operation of the public API, declared once: its method and path, its path, query and body
// schemas (zod), how large a body it reads, and what it answers. The route handler validates with
// these schemas (lib/api/handler.ts) and the OpenAPI document is generated from the same declarations
// (lib/api/openapi.ts), so the two cannot drift. Every operation is listed in lib/api/operations/index.ts.
import { z } from "zod";

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/**
 * What an operation reads of a body unless it says otherwise: the largest bodies are sync job
 * definitions and webhook endpoint filters, a few kilobytes; a megabyte leaves room and bounds memory.
 */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface Operation<
  Path extends string = string,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
> {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI path under /api/v1, e.g. "/connections/{id}"; names in braces are the route's params. */
  path: Path;
  tag: string;
  summary: string;
  description?: string;
  /** Each path parameter's schema, with its description (params.ts: pathId, pathKey). */
  pathParams?: { [K in keyof PathParams<Path>]: z.ZodType<string> };
  /** The query string's parameters, a z.object: a parameter it does not declare is refused. */
  query?: Q;
  body?: B;
  /** Bytes of body read at most (413 BODY_TOO_LARGE past them); DEFAULT_BODY_LIMIT when absent. */
  bodyLimit?: number;
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
  /**
   * The proxy's operations: the query string beyond the declared parameters and the body are the
   * platform's, forwarded as they are rather than validated (lib/api/proxy.ts); the answer is the
   * platform's own. Documented with `x-passthrough`, a body of any type and no Idempotency-Key.
   */
  passthrough?: boolean;
  /** The success answer's schema (output side), documented as the first 2xx response's content. */
  response?: z.ZodType;
  /**
   * The concrete operations a route with path parameters serves, each documented at its own path (the
   * parameters filled in) with its own id, tag, summary and answer: `GET /{category}/{object}` is
   * documented as GET /commerce/orders, GET /accounting/invoices…, so each shows its object's fields.
   */
  instances?: readonly OperationInstance[];
}

export interface OperationInstance {
  /** Values of some of the path's parameters; the others stay parameters. */
  params: Readonly<Record<string, string>>;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  response: z.ZodType;
  /** The instance's own body, where the route validates it by the path (a write's create or update shape). */
  body?: z.ZodType;
}

/** `{ id: string }` for "/connections/{id}". */
export type PathParams<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? { [K in P]: string } & PathParams<Rest> : unknown;

export type Output<T> = T extends z.ZodType ? z.output<T> : undefined;

export function defineOperation<const Path extends string, Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined>(
  operation: Operation<Path, Q, B>,
): Operation<Path, Q, B> {
  // Query schemas are strict here, once: a misspelt parameter (`limt=5`) is refused, not ignored.
  if (operation.query instanceof z.ZodObject) return { ...operation, query: operation.query.strict() as unknown as Q };
  return operation;
}
