// The proxy: any request to the connection's platform API, sent with the connection's credentials
// and under its limiter (lib/api/proxy.ts), for what the unified models do not cover. Documented
// once per method at /proxy/{path}; the path may hold slashes.
import { z } from "zod";
import { defineOperation, type HttpMethod } from "../operation";

const DESCRIPTION =
  "`{path}` is a path under the platform's API (Zendesk's /api/v2, Shopify's /admin/api, QuickBooks' /v3/company/{realmId}, Xero's /api.xro/2.0), e.g. `/proxy/tickets.json` or `/proxy/2026-10/graphql.json`; the query string (but `access_token`) and the body are forwarded as sent, with the connection's credentials (refreshed when they expire), Accept, Content-Type and the conditional headers. The platform's status, body and the headers that matter (Content-Type, Link, Location, ETag, Retry-After, its rate-limit headers) come back with `Tributary-Proxied: true`. Requests wait for the connection's rate limiter and daily allowance like its syncs, so a burst of proxied calls does not get the connection throttled. Refused with 400 naming `path`: an absolute URL, `.`/`..` segments, a path outside the API. Idempotency-Key is not taken here (the platform's own keys pass through).";

const RESPONSES = {
  200: "The platform's answer, as it sent it (any status it sends comes back as it is), with `Tributary-Proxied: true`",
  404: "No connection for this access token",
  409: "CONNECTION_NOT_SYNCING: the connection is disabled, or its credentials need the customer to re-link",
  429: "PLATFORM_RATE_LIMITED: the connection's daily allowance is spent; Retry-After says when",
  502: "PLATFORM_UNAVAILABLE: the platform did not answer",
} as const;

const proxyOperation = <M extends HttpMethod>(method: M, operationId: string, summary: string) =>
  defineOperation({
    operationId,
    method,
    path: "/proxy/{path}",
    tag: "Proxy",
    summary,
    description: DESCRIPTION,
    pathParams: { path: z.string().min(1).meta({ description: "The path under the platform's API, slashes included" }) },
    query: z.object({
      access_token: z
        .string({ message: "is required: the connection's access token from the public token exchange" })
        .min(1)
        .meta({ description: "The connection's access token (not forwarded)" }),
    }),
    passthrough: true,
    responses: RESPONSES,
  });

export const proxyGet = proxyOperation("GET", "proxyGet", "GET from the connection's platform API");
export const proxyPost = proxyOperation("POST", "proxyPost", "POST to the connection's platform API");
export const proxyPut = proxyOperation("PUT", "proxyPut", "PUT to the connection's platform API");
export const proxyPatch = proxyOperation("PATCH", "proxyPatch", "PATCH the connection's platform API");
export const proxyDelete = proxyOperation("DELETE", "proxyDelete", "DELETE on the connection's platform API");
