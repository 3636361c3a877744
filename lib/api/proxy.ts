// /api/v1/proxy/{path}: one request passed through to the connection's platform API (Truto's and
// Nango's proxy). The frame is every API route's (key, rate limit, error shape); the request goes out
// through the connection's platform session (lib/sync/platform-session.ts), which keeps the path
// under the platform's API, authenticates it, waits for the connection's limiter and daily allowance
// and refreshes credentials on a 401. What comes back is the platform's answer, marked as proxied.
import { retryAfterHeader } from "@/lib/errors";
import { readBodyText } from "@/lib/input";
import { ConnectorError } from "@/lib/platforms/types";
import { ProxyPathError } from "@/lib/platforms/proxy-url";
import { openPlatformSession } from "@/lib/sync/platform-session";
import { assertReachable, connectionForToken } from "./access-token";
import { ApiError, invalid } from "./errors";
import { apiFrame } from "./handler";
import { IDEMPOTENCY_HEADER } from "./idempotency";
import { DEFAULT_BODY_LIMIT, type Operation } from "./operation";

export const PROXIED_HEADER = "Tributary-Proxied";
const PREFIX = "/api/v1/proxy";

/** Headers of the caller's request the platform gets (its credentials are the connection's, never the caller's). */
const FORWARDED_REQUEST = ["accept", "accept-language", "content-type", "if-match", "if-none-match", "if-modified-since", "if-unmodified-since"];
/** Headers of the platform's answer the caller gets: what describes the body, pages, caches, and the platform's limits. */
const FORWARDED_RESPONSE =
  /^(content-type|content-language|link|location|etag|last-modified|retry-after|x-request-id|x-rate-limit-.*|x-ratelimit-.*|ratelimit-.*|x-shopify-shop-api-call-limit|intuit_tid|x-zendesk-.*)$/i;

export function proxyRoute(operation: Operation) {
  const serve = (request: Request): Promise<Response> =>
    apiFrame(request, async ({ engine, scope }) => {
      const url = new URL(request.url);
      if (request.headers.has(IDEMPOTENCY_HEADER))
        throw invalid(IDEMPOTENCY_HEADER, "is not taken by the proxy: send the platform's own idempotency header, or write through the unified API");
      const token = url.searchParams.get("access_token");
      if (!token) throw invalid("access_token", "is required: the connection's access token from the public token exchange");
      const connection = await connectionForToken(engine, scope, token);
      assertReachable(connection);

      // The path as the caller encoded it, so the platform reads it the same way.
      const path = url.pathname.startsWith(`${PREFIX}/`) ? url.pathname.slice(PREFIX.length) : "/";
      const search = new URLSearchParams(url.search);
      search.delete("access_token");
      const headers: Record<string, string> = {};
      for (const name of FORWARDED_REQUEST) {
        const value = request.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      const body = operation.method === "GET" || operation.method === "DELETE" ? null : await readBodyText(request, operation.bodyLimit ?? DEFAULT_BODY_LIMIT);
      const session = openPlatformSession(engine, connection);
      let answer: Response;
      try {
        answer = await session.proxy({ method: operation.method, path, search: search.size ? `?${search}` : "", headers, body: body || null });
      } catch (error) {
        throw proxyError(error);
      }
      const out = new Headers();
      for (const [name, value] of answer.headers) if (FORWARDED_RESPONSE.test(name)) out.set(name, value);
      out.set(PROXIED_HEADER, "true");
      return new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers: out });
    });
  return Object.assign(serve, { operation });
}

function proxyError(error: unknown): unknown {
  if (error instanceof ProxyPathError) return invalid("path", error.message);
  if (!(error instanceof ConnectorError)) return error;
  if (error.kind === "rate_limited")
    return new ApiError("PLATFORM_RATE_LIMITED", `The platform cannot be reached now: ${error.message}`, null, retryAfterHeader(error.options.retryAfterMs));
  if (error.kind === "auth_revoked")
    return new ApiError("CONNECTION_NOT_SYNCING", `The platform refused the connection's credentials: ${error.message}. The customer must re-link it`);
  if (error.kind === "transient") return new ApiError("PLATFORM_UNAVAILABLE", error.message);
  return new ApiError("PLATFORM_UNAVAILABLE", `The platform could not be reached: ${error.message}`);
}
