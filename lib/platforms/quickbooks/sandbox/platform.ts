// QuickBooks Online as the sandbox server serves it: Accounting API v3 under
// /quickbooks/v3/company/{realmId}, Intuit's OAuth endpoints (/connect/oauth2 → redirect with realmId,
// /oauth2/v1/tokens/bearer with Basic client auth, /oauth2/v1/tokens/revoke), bearer tokens or
// sandbox API keys, 500 requests per minute per company, and webhooks signed with intuit-signature
// (base64 HMAC-SHA256 of the body with the app's verifier token).
import { createHmac } from "node:crypto";
import { json } from "@/lib/sandbox/http";
import { authorizeRoute, isOAuthError, oauthErrorResponse, tokenRoute } from "@/lib/sandbox/oauth";
import type { SandboxPlatform } from "@/lib/sandbox/platform";
import { FixedWindow } from "@/lib/sandbox/rate-limit";
import { handleQuickBooks } from "./api";
import { QUICKBOOKS_OBJECTS } from "./objects";

const SCOPES = ["com.intuit.quickbooks.accounting"];
const API_KEY_PREFIX = "quickbooks_key_";

const fault = (status: number, type: string, message: string, detail: string, code: string) =>
  json(status, { Fault: { Error: [{ Message: message, Detail: detail, code }], type }, time: new Date().toISOString() });

export const quickbooks: SandboxPlatform = {
  key: "quickbooks",
  name: "QuickBooks Online",
  objects: QUICKBOOKS_OBJECTS,
  scopes: SCOPES,
  acceptsApiKeys: true,
  groundTruth: { accounts: "Account", vendors: "Vendor", customers: "Customer", bills: "Bill", invoices: "Invoice", expenses: "Purchase", payments: "Payment" },
  demoAccount: { id: "9341453050398416", name: "Demo Company Books" },
  route(path) {
    const match = /^\/v3\/company\/([a-z0-9][a-z0-9-]*)(\/.*)$/.exec(path);
    return match ? { accountId: match[1], path: match[2] } : null;
  },
  credential(request) {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
    if (!match) return null;
    return { kind: match[1].startsWith(API_KEY_PREFIX) ? "api_key" : "token", value: match[1] };
  },
  errors: {
    unauthorized: (reason) =>
      json(401, {
        fault: {
          error: [
            {
              message: "message=AuthenticationFailed; errorCode=003200; statusCode=401",
              detail: reason === "expired" ? "Token expired" : "Token invalid",
              code: "3200",
            },
          ],
          type: "AUTHENTICATION",
        },
        time: new Date().toISOString(),
      }),
    closed: () =>
      fault(403, "AuthorizationFault", "ApplicationAuthorizationFailed", "The company's subscription has ended or the company was deleted", "003100"),
    rateLimited: () => fault(429, "ThrottlingFault", "message=ThrottleExceeded; errorCode=003001; statusCode=429", "The request limit was reached.", "3001"),
    serverError: () => fault(503, "SystemFault", "Service Unavailable", "The service is temporarily unavailable", "10000"),
  },
  limiter: (scale) => new FixedWindow(Math.max(1, Math.round(500 * scale)), 60_000),
  handle: (request, dataset) => handleQuickBooks(request, dataset, { now: () => dataset.now() }),
  oauth(request, context) {
    if (request.path === "/connect/oauth2") {
      return authorizeRoute(request, context, { platformName: "QuickBooks Online", scopes: SCOPES, redirectParams: (account) => ({ realmId: account.id }) });
    }
    if (request.path === "/oauth2/v1/tokens/bearer" && request.method === "POST") {
      const grant = tokenRoute(request, context);
      if (isOAuthError(grant)) return oauthErrorResponse(grant);
      return json(200, {
        token_type: "bearer",
        access_token: grant.token.accessToken,
        refresh_token: grant.token.refreshToken,
        expires_in: Math.round((grant.token.expiresAt - Date.now()) / 1000),
        x_refresh_token_expires_in: 8_726_400,
      });
    }
    if (request.path === "/oauth2/v1/tokens/revoke" && request.method === "POST") {
      const body = (request.body ?? {}) as { token?: string };
      context.server.revoke(context.accounts(), body.token);
      return { status: 200 };
    }
    return null;
  },
  webhook(change, secret, accountId) {
    const operation = change.kind === "created" ? "Create" : change.kind === "updated" ? "Update" : "Delete";
    const body = JSON.stringify({
      eventNotifications: [
        {
          realmId: accountId,
          dataChangeEvent: {
            entities: [{ name: change.record.object, id: String(change.record.id), operation, lastUpdated: new Date(change.record.updatedAt).toISOString() }],
          },
        },
      ],
    });
    return { body, headers: { "intuit-signature": createHmac("sha256", secret).update(body, "utf8").digest("base64") } };
  },
};
