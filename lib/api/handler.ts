// A public API route: authenticates the API key, runs the handler, and turns every error into the
// API's error shape. Handlers return plain objects (JSON, 200) or a Response.
import { getEngine, type SyncEngine } from "@/lib/sync/engine";
import { errorResponse } from "./errors";
import { authenticate, type ApiScope } from "./keys";

export interface ApiContext<P> {
  request: Request;
  url: URL;
  scope: ApiScope;
  params: P;
  engine: SyncEngine;
}

export function apiRoute<P = Record<string, never>>(handler: (context: ApiContext<P>) => Promise<unknown>) {
  return async (request: Request, route?: { params?: Promise<P> }): Promise<Response> => {
    try {
      const engine = getEngine();
      const scope = await authenticate(engine.db, request.headers.get("authorization"));
      const result = await handler({ request, url: new URL(request.url), scope, params: ((await route?.params) ?? {}) as P, engine });
      return result instanceof Response ? result : Response.json(result);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
