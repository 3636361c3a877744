// Every JSON route under app/api/dashboard is one of these: the signed-in member's session (never an
// API key), its parameters, and any error rendered from the one error table (lib/errors.ts) exactly as
// the REST API renders it: `{ error_type, error_code, error_message, field }`. A fetch cannot follow
// the sign-in redirect usefully, so a missing session is a 401 NOT_SIGNED_IN.
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { ApiError, errorResponse, invalid } from "@/lib/api/errors";
import { getRequestContext, type RequestContext } from "@/lib/auth/context";
import { isId, type IdPrefix } from "@/lib/db/ids";
import { issueField, issueMessage } from "@/lib/input/issues";

type Handler<P> = (args: { context: RequestContext; request: NextRequest; params: P }) => Promise<Response>;

export function dashboardRoute<P extends Record<string, string> = Record<string, never>>(handler: Handler<P>) {
  return async (request: NextRequest, segment: { params: Promise<P> }): Promise<Response> => {
    try {
      const context = await getRequestContext();
      if (!context) throw new ApiError("NOT_SIGNED_IN", "Your session ended: sign in again");
      return await handler({ context, request, params: await segment.params });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** A path or query parameter that must be an id of one kind: a 400 naming it otherwise. */
export function requireId(field: string, prefix: IdPrefix, value: string, what: string): string {
  if (!isId(prefix, value)) throw invalid(field, `is not ${what} id (${prefix}_…)`);
  return value;
}

/** A query that failed its schema: a 400 naming the first bad parameter (a message written "field: …" is not prefixed twice). */
export function queryProblem(error: z.ZodError): ApiError {
  const issue = error.issues[0];
  const field = issueField(issue, "query");
  const message = issueMessage(issue);
  return invalid(field, message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message);
}

/** The JSON body of a dashboard read, never cached. */
export const fresh = (body: unknown) => Response.json(body, { headers: { "cache-control": "no-store" } });
