// Zendesk as the sandbox server serves it: Support API v2 under /zendesk/{subdomain}, the subdomain's
// OAuth endpoints (/oauth/authorizations/new, /oauth/tokens), credentials, rate limits, and webhooks
// signed with X-Zendesk-Webhook-Signature (base64 HMAC-SHA256 of timestamp + body).
//
// Credentials, as "Authentication for API requests" (support.zendesk.com, article 4408831452954) documents:
// OAuth access tokens (`Authorization: Bearer {token}`) and API tokens, sent with an agent's email as
// `Authorization: Basic base64("{email_address}/token:{api_token}")`. The control API's api-keys action
// issues API tokens, as an admin creates them in the Admin Center; the sandbox accepts them with any
// email address (it does not check the address against the help desk's agents). Password Basic auth
// (`email:password`) is refused, as on accounts where password access is off.
//
// Rate limits ("Rate limits" in the API reference, and the Incremental Exports reference): the
// Enterprise plan's 700 requests a minute per account, with X-Rate-Limit and X-Rate-Limit-Remaining,
// and on top of it 10 requests a minute to the incremental exports (without the High Volume add-on),
// refused with {"error":"APIRateLimitExceeded","description":"Number of allowed incremental export API
// requests per minute exceeded"} (the body Zendesk sends) and Retry-After.
import { createHmac } from "node:crypto";
import { json } from "@/lib/sandbox/http";
import { authorizeRoute, isOAuthError, oauthErrorResponse, tokenRoute } from "@/lib/sandbox/oauth";
import type { SandboxPlatform } from "@/lib/sandbox/platform";
import { EndpointLimits, FixedWindow } from "@/lib/sandbox/rate-limit";
import { handleZendesk, zendeskRecordJson } from "./api";
import { ZENDESK_OBJECTS } from "./objects";

const SCOPES = ["read", "tickets:read", "users:read", "organizations:read"];
const EXPORTS_LIMIT = "incremental_exports";
/** "{email_address}/token:{api_token}" once the Basic credentials are decoded. */
const API_TOKEN_CREDENTIALS = /^[^\s/:@]+@[^\s/:@]+\/token:(\S+)$/;
const SINGULAR: Record<string, string> = { tickets: "ticket", users: "user", organizations: "organization" };

export const zendesk: SandboxPlatform = {
  key: "zendesk",
  name: "Zendesk",
  objects: ZENDESK_OBJECTS,
  scopes: SCOPES,
  acceptsApiKeys: true,
  // Comments are listed per ticket: their truth is the tickets'.
  groundTruth: { organizations: "organizations", users: "users", tickets: "tickets" },
  demoAccount: { id: "demo-helpdesk", name: "Demo Support" },
  route(path) {
    const match = /^\/([a-z0-9][a-z0-9-]*)(\/api\/v2\/.*)$/.exec(path);
    return match ? { accountId: match[1], path: match[2] } : null;
  },
  credential(request) {
    const header = request.headers.authorization ?? "";
    const bearer = /^Bearer\s+(\S+)$/i.exec(header);
    if (bearer) return { kind: "token", value: bearer[1] };
    const basic = /^Basic\s+([A-Za-z0-9+/]+={0,2})$/i.exec(header);
    const apiToken = basic ? API_TOKEN_CREDENTIALS.exec(Buffer.from(basic[1], "base64").toString("utf8")) : null;
    return apiToken ? { kind: "api_key", value: apiToken[1] } : null;
  },
  errors: {
    unauthorized: () => json(401, { error: "Couldn't authenticate you" }),
    closed: () => json(404, { error: "RecordNotFound", description: "Not found" }),
    rateLimited: (_retryAfterSeconds, limit) =>
      json(429, {
        error: "APIRateLimitExceeded",
        description:
          limit === EXPORTS_LIMIT
            ? "Number of allowed incremental export API requests per minute exceeded"
            : "Number of allowed API requests per minute exceeded",
      }),
    serverError: () => json(503, { error: "ServiceUnavailable", description: "Service temporarily unavailable" }),
  },
  // The Support API's Enterprise plan: 700 requests per minute; the incremental exports 10 of them at most.
  limiter: (scale) =>
    new EndpointLimits(new FixedWindow(Math.max(1, Math.round(700 * scale)), 60_000, { limit: "X-Rate-Limit", remaining: "X-Rate-Limit-Remaining" }), [
      {
        name: EXPORTS_LIMIT,
        matches: (path) => path.startsWith("/api/v2/incremental/"),
        limiter: new FixedWindow(Math.max(1, Math.round(10 * scale)), 60_000),
      },
    ]),
  handle: (request, dataset) => handleZendesk(request, dataset, () => dataset.now()),
  oauth(request, context) {
    const match = /^\/([a-z0-9][a-z0-9-]*)\/(oauth\/authorizations\/new|oauth\/tokens|api\/v2\/oauth\/tokens\/current\.json)$/.exec(request.path);
    if (!match) return null;
    const [, subdomain, endpoint] = match;
    if (endpoint === "oauth/authorizations/new") return authorizeRoute(request, context, { platformName: "Zendesk", scopes: SCOPES, fixedAccount: subdomain });
    if (endpoint === "oauth/tokens" && request.method === "POST") {
      const grant = tokenRoute(request, context);
      if (isOAuthError(grant)) return oauthErrorResponse(grant);
      return json(200, {
        access_token: grant.token.accessToken,
        token_type: "bearer",
        scope: grant.token.scopes.join(" "),
        refresh_token: grant.token.refreshToken,
        expires_in: Math.round((grant.token.expiresAt - Date.now()) / 1000),
      });
    }
    if (endpoint.endsWith("current.json") && request.method === "DELETE") {
      const account = context.account(subdomain);
      const credential = zendesk.credential(request);
      if (!account || !credential || !account.tokens.has(credential.value)) return zendesk.errors.unauthorized("invalid");
      context.server.revoke([account], credential.value);
      return { status: 204 };
    }
    return null;
  },
  webhook(change, secret) {
    const singular = SINGULAR[change.record.object] ?? change.record.object;
    const body = JSON.stringify({
      type: `zen:event-type:${singular}.${change.kind}`,
      time: new Date(change.record.updatedAt).toISOString(),
      detail: zendeskRecordJson(change.record),
    });
    const timestamp = new Date(change.record.updatedAt).toISOString();
    return {
      body,
      headers: {
        "X-Zendesk-Webhook-Signature-Timestamp": timestamp,
        "X-Zendesk-Webhook-Signature": createHmac("sha256", secret)
          .update(timestamp + body, "utf8")
          .digest("base64"),
      },
    };
  },
};
