// Each platform signs its change webhooks its own documented way; a receiver verifying them the
// vendor's way must accept them and reject a tampered body.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Dataset } from "./dataset";
import type { SandboxPlatform } from "./platform";
import { SANDBOX_PLATFORMS } from "./platforms";

const SECRET = "test_webhook_secret";

function change(platform: SandboxPlatform) {
  const dataset = new Dataset({ seed: 3, size: 200, historyMonths: 12, anchor: Date.UTC(2026, 10, 1) }, platform.objects);
  // The last object, or the one the platform notifies of (Xero: invoices and contacts only).
  const object = platform.key === "xero" ? "Invoice" : platform.objects.at(-1)!.name;
  const record = dataset.list(object, { limit: 1 })[0];
  return { kind: "updated" as const, record };
}

const verify: Record<string, (headers: Record<string, string>, body: string) => boolean> = {
  // Shopify: X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(secret, raw body)).
  shopify: (headers, body) => headers["X-Shopify-Hmac-Sha256"] === createHmac("sha256", SECRET).update(body).digest("base64"),
  // Intuit: intuit-signature = base64(HMAC-SHA256(verifier token, raw body)).
  quickbooks: (headers, body) => headers["intuit-signature"] === createHmac("sha256", SECRET).update(body).digest("base64"),
  // Xero: x-xero-signature = base64(HMAC-SHA256(webhook key, raw body)).
  xero: (headers, body) => headers["x-xero-signature"] === createHmac("sha256", SECRET).update(body).digest("base64"),
  // Zendesk: X-Zendesk-Webhook-Signature = base64(HMAC-SHA256(secret, timestamp + raw body)).
  zendesk: (headers, body) =>
    headers["X-Zendesk-Webhook-Signature"] ===
    createHmac("sha256", SECRET)
      .update(headers["X-Zendesk-Webhook-Signature-Timestamp"] + body)
      .digest("base64"),
};

describe.each(SANDBOX_PLATFORMS.map((p) => [p.key, p] as const))("%s change webhooks", (key, platform) => {
  it("verify with the vendor's scheme, and fail when the body is altered", () => {
    const signed = platform.webhook(change(platform), SECRET, "acct-1");
    if (!signed) throw new Error(`${key} sends no webhook for this change`);
    const { headers, body } = signed;
    expect(verify[key](headers, body)).toBe(true);
    expect(verify[key](headers, body.replace(/.$/, " "))).toBe(false);
    expect(JSON.parse(body)).toBeTruthy();
  });
});
