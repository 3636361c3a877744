// Shopify: stores' catalogue, customers, orders and payment transactions (Admin API).
import { handleField, type PlatformDefinition } from "../definition";

export const shopifyDefinition = {
  key: "shopify",
  name: "Shopify",
  category: "commerce",
  description: "Stores on Shopify: their catalogue, customers, orders and payment transactions, through the Admin API.",
  auth: "oauth2",
  objects: [
    { key: "products", event: "PRODUCT", supportsWindow: true, supportsUpdatedSince: true },
    // Shopify's collections carry no creation time to filter on.
    { key: "collections", event: "COLLECTION", supportsWindow: false, supportsUpdatedSince: true },
    { key: "customers", event: "CUSTOMER", supportsWindow: true, supportsUpdatedSince: true },
    { key: "orders", event: "ORDER", dependsOn: ["customers", "products"], supportsWindow: true, supportsUpdatedSince: true },
    { key: "transactions", event: "TRANSACTION", dependsOn: ["orders"], supportsWindow: true, supportsUpdatedSince: true },
  ],
  // The GraphQL Admin API limits by calculated query cost, not requests: on the Standard plan a bucket of
  // 2,000 points restoring 100 per second, no query above 1,000 points (shopify.dev, "GraphQL Admin API
  // rate limits"); larger plans report their own bucket in throttleStatus, which the limiter follows.
  // The connector speaks only GraphQL, so it spends points (ConnectorContext.cost) and no request rate.
  rateLimit: { cost: { points: 2000, restorePerSecond: 100, maxQueryCost: 1000 } },
  link: {
    accountField: handleField(
      { label: "Store address", placeholder: "your-store", suffix: ".myshopify.com", hint: "The address you sign in to Shopify admin with." },
      /\.myshopify\.com$/,
    ),
    scopes: ["read_products", "read_customers", "read_orders"],
    scopeSeparator: ",",
  },
  logo: { background: "#5e8e3e", foreground: "#ffffff", glyph: "S" },
} as const satisfies PlatformDefinition<"shopify">;
