// Shopify as the sandbox server serves it: Admin REST API 2024-10 under /shopify/{shop}, the shop's
// OAuth endpoints (/admin/oauth/authorize, /admin/oauth/access_token with expiring offline tokens),
// X-Shopify-Access-Token, the 40/2 leaky bucket, and webhooks signed with X-Shopify-Hmac-Sha256.
import { json } from "@/lib/sandbox/http";
import { authorizeRoute, isOAuthError, oauthErrorResponse, tokenRoute } from "@/lib/sandbox/oauth";
import type { SandboxPlatform } from "@/lib/sandbox/platform";
import { handleShopify, SHOPIFY_API_VERSION, shopifyRecordJson } from "./api";
import { serveBulkResult } from "./graphql/bulk";
import { ShopifyLimits } from "./limits";
import { shopifyWebhook } from "./webhook";
import { SHOPIFY_OBJECTS } from "./objects";
import { answeringVersion } from "./versions";

const SCOPES = ["read_products", "read_customers", "read_orders"];
const TOPICS: Record<string, string> = { products: "products", custom_collections: "collections", customers: "customers", orders: "orders" };

/** Shopify's topic of a change: products/create, orders/updated (orders say "updated"), collections/delete… */
function changeTopic(change: { kind: "created" | "updated" | "deleted"; record: { object: string } }): string {
  const resource = TOPICS[change.record.object] ?? change.record.object;
  const action = change.kind === "created" ? "create" : change.kind === "deleted" ? "delete" : resource === "orders" ? "updated" : "update";
  return `${resource}/${action}`;
}

export const shopify: SandboxPlatform = {
  key: "shopify",
  name: "Shopify",
  objects: SHOPIFY_OBJECTS,
  scopes: SCOPES,
  acceptsApiKeys: false,
  // Transactions are listed per order: their truth is the orders'.
  groundTruth: { products: "products", collections: "custom_collections", customers: "customers", orders: "orders" },
  demoAccount: { id: "demo-store", name: "Demo Outfitters" },
  route(path) {
    const match = /^\/([a-z0-9][a-z0-9-]*)(\/.*)$/.exec(path);
    return match ? { accountId: match[1], path: match[2] } : null;
  },
  credential(request) {
    const value = request.headers["x-shopify-access-token"];
    return value ? { kind: "token", value } : null;
  },
  errors: {
    unauthorized: () => json(401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" }),
    closed: () => json(404, { errors: "Not Found" }),
    rateLimited: () => json(429, { errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service." }),
    serverError: () => json(503, { errors: "Service Unavailable" }),
  },
  limiter: (scale) => new ShopifyLimits(scale),
  handle: handleShopify,
  oauth(request, context) {
    const match = /^\/([a-z0-9][a-z0-9-]*)\/admin\/(oauth\/authorize|oauth\/access_token|api_permissions\/current\.json)$/.exec(request.path);
    if (!match) return null;
    const [, shop, endpoint] = match;
    if (endpoint === "oauth/authorize") {
      return authorizeRoute(request, context, {
        platformName: "Shopify",
        scopes: SCOPES,
        fixedAccount: shop,
        redirectParams: () => ({ shop: `${shop}.myshopify.com`, timestamp: String(Math.floor(Date.now() / 1000)) }),
      });
    }
    if (endpoint === "oauth/access_token" && request.method === "POST") {
      const grant = tokenRoute(request, context, "authorization_code");
      if (isOAuthError(grant)) return oauthErrorResponse(grant);
      return json(200, {
        access_token: grant.token.accessToken,
        scope: grant.token.scopes.join(","),
        expires_in: Math.round((grant.token.expiresAt - Date.now()) / 1000),
        refresh_token: grant.token.refreshToken,
      });
    }
    if (endpoint === "api_permissions/current.json" && request.method === "DELETE") {
      // Uninstalling the app: every token of the shop stops working.
      const account = context.account(shop);
      const token = request.headers["x-shopify-access-token"];
      if (!account || !token || !account.tokens.has(token)) return shopify.errors.unauthorized("invalid");
      context.server.revoke([account], token);
      for (const other of account.tokens.values()) other.revoked = true;
      return json(200, {});
    }
    return null;
  },
  unauthenticated: (request, context) => serveBulkResult(request, context),
  webhookTopic: changeTopic,
  webhook(change, secret, accountId) {
    const body = JSON.stringify(change.kind === "deleted" ? { id: change.record.id } : shopifyRecordJson(change.record));
    // Subscriptions are made on 2024-10; an unsupported version falls forward for webhooks too.
    return shopifyWebhook(changeTopic(change), body, secret, accountId, answeringVersion(SHOPIFY_API_VERSION, change.record.updatedAt) ?? SHOPIFY_API_VERSION);
  },
};
