// A webhook as Shopify sends one (https://shopify.dev/docs/apps/build/webhooks): the topic, the body
// signed with X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 of the raw body with the app's secret), the
// shop, the API version and a delivery id. Change webhooks and bulk_operations/finish alike.
import { createHmac, randomUUID } from "node:crypto";

export function shopifyWebhook(
  topic: string,
  body: string,
  secret: string,
  accountId: string,
  version: string,
): { headers: Record<string, string>; body: string } {
  return {
    body,
    headers: {
      "X-Shopify-Topic": topic,
      "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(body, "utf8").digest("base64"),
      "X-Shopify-Shop-Domain": `${accountId}.myshopify.com`,
      "X-Shopify-API-Version": version,
      "X-Shopify-Webhook-Id": randomUUID(),
    },
  };
}
