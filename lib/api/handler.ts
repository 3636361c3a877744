// A public API route: authenticates the API key, validates the query and body with the operation's
// schemas, runs the handler, and turns every error into the API's error shape. Handlers return plain
// objects (JSON, 200) or a Response.
import { getEngine, type SyncEngine } from "@/lib/sync/engine";
import { readBody, readQuery } from "./body";
import { errorResponse } from "./errors";
import { authenticate, type ApiScope } from "./keys";
import type { Operation, Output, PathParams } from "./operation";
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

export function apiRoute<const Path extends string, Q extends z.ZodType | undefined, B extends z.ZodType | undefined>(
  operation: Operation<Path, Q, B>,
  handler: (context: ApiContext<Path, Q, B>) => Promise<unknown>,
) {
  return async (request: Request, route?: { params?: Promise<unknown> }): Promise<Response> => {
    try {
      const engine = getEngine();
      const scope = await authenticate(engine.db, request.headers.get("authorization"));
      const url = new URL(request.url);
      const query = (operation.query ? readQuery(url, operation.query) : undefined) as Output<Q>;
      const body = (operation.body ? await readBody(request, operation.body) : undefined) as Output<B>;
      const params = ((await route?.params) ?? {}) as PathParams<Path>;
      const result = await handler({ request, url, scope, params, query, body, engine });
      return result instanceof Response ? result : Response.json(result);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
