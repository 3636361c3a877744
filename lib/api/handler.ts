// A public API route: authenticates the API key, applies the organization's rate limit, validates the
// path, query and body with the operation's schemas (the body read once, within the operation's
// limit), runs the handler (once per Idempotency-Key on POSTs), and turns every error into the API's
// error shape. Handlers return plain objects (JSON, 200) or a Response. Every answer past
// authentication carries the rate-limit headers.
import { readBodyText } from "@/lib/input";
import { getEngine, type SyncEngine } from "@/lib/sync/engine";
import { parseBody, readPathParams, readQuery } from "./body";
import { errorResponse } from "./errors";
import { readIdempotencyKey, requestFingerprint, runIdempotently } from "./idempotency";
import { authenticate, type ApiScope } from "./keys";
import { DEFAULT_BODY_LIMIT, type Operation, type Output, type PathParams } from "./operation";
import { getApiRateLimiter, rateLimited, rateLimitHeaders } from "./rate-limit";
import type { z } from "zod";

export interface ApiContext<Path extends string, Q, B> {
  request: Request;
  url: URL;
  scope: ApiScope;
  params: PathParams<Path>;
  query: Output<Q>;
  body: Output<B>;
  engine: SyncEngine;
}

export type RouteHandler = (request: Request, route?: { params?: Promise<unknown> }) => Promise<Response>;

/** A route's handler, carrying the operation it serves (the route tests find operations' routes by it). */
export type ApiRoute<O extends Operation = Operation> = RouteHandler & { readonly operation: O };

export function apiRoute<const Path extends string, Q extends z.ZodType | undefined, B extends z.ZodType | undefined>(
  operation: Operation<Path, Q, B>,
  handler: (context: ApiContext<Path, Q, B>) => Promise<unknown>,
): ApiRoute<Operation<Path, Q, B>> {
  const serve = (request: Request, route?: { params?: Promise<unknown> }): Promise<Response> =>
    apiFrame(request, async ({ engine, scope }) => {
      const url = new URL(request.url);
      const idempotencyKey = operation.method === "POST" || operation.method === "PATCH" ? readIdempotencyKey(request) : null;
      const params = readPathParams<PathParams<Path>>(((await route?.params) ?? {}) as Record<string, string>, operation.pathParams);
      const query = readQuery(url, operation.query) as Output<Q>;
      // Read once, within the limit: the same text is fingerprinted for idempotency and parsed.
      const bodyText = operation.body ? await readBodyText(request, operation.bodyLimit ?? DEFAULT_BODY_LIMIT) : "";
      const body = (operation.body ? parseBody(bodyText, operation.body) : undefined) as Output<B>;
      const run = async () => {
        const result = await handler({ request, url, scope, params, query, body, engine });
        return result instanceof Response ? result : Response.json(result);
      };
      return idempotencyKey
        ? await runIdempotently(
            engine.db,
            scope,
            { key: idempotencyKey, fingerprint: requestFingerprint(request.method, url, bodyText), now: engine.clock(), secretFields: operation.secretFields },
            run,
          )
        : await run();
    });
  return Object.assign(serve, { operation });
}

/**
 * Every public route's frame: authenticates the API key, takes the organization's rate limit, runs
 * `serve`, renders whatever it throws in the API's error shape, and puts the rate-limit headers on
 * the answer either way. apiRoute serves operations through it, and so does the proxy (lib/api/proxy.ts).
 */
export async function apiFrame(request: Request, serve: (frame: { engine: SyncEngine; scope: ApiScope }) => Promise<Response>): Promise<Response> {
  let headers: Record<string, string> = {};
  try {
    const engine = getEngine();
    const scope = await authenticate(engine.db, request.headers.get("authorization"));
    const limiter = getApiRateLimiter();
    const decision = await limiter.take(`${scope.organizationId}:${scope.environment}`, engine.db);
    headers = rateLimitHeaders(decision);
    if (!decision.allowed) throw rateLimited(limiter.config, decision);
    return withHeaders(await serve({ engine, scope }), headers);
  } catch (error) {
    return withHeaders(errorResponse(error), headers);
  }
}

function withHeaders(response: Response, extra: Record<string, string>): Response {
  if (!Object.keys(extra).length) return response;
  try {
    // Responses made here have mutable headers: set them in place, so the body is not re-streamed
    // through a new Response (about 10% of the server's CPU on record pages, bench:api's profile).
    for (const [name, value] of Object.entries(extra)) response.headers.set(name, value);
    return response;
  } catch {
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(extra)) headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}
