// Standard Webhooks signing (https://www.standardwebhooks.com): `webhook-id` (the event id, stable
// across retries), `webhook-timestamp` (seconds), `webhook-signature` = space-separated `v1,<base64
// HMAC-SHA256 of "id.timestamp.body">`, one per active secret (two during a rotation). Secrets are
// `whsec_` + base64 of 24 random bytes; the HMAC key is the decoded bytes.
import { createHmac, randomBytes } from "node:crypto";

export const SECRET_PREFIX = "whsec_";

export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(24).toString("base64")}`;
}

function keyOf(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error("A webhook secret starts with whsec_");
  return Buffer.from(secret.slice(SECRET_PREFIX.length), "base64");
}

export function signature(secret: string, id: string, timestampSeconds: number, body: string): string {
  return `v1,${createHmac("sha256", keyOf(secret)).update(`${id}.${timestampSeconds}.${body}`).digest("base64")}`;
}

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

/** The body `{ type, timestamp, data }` and its headers, signed with every given secret. */
export function signedRequest(input: { id: string; type: string; occurredAt: Date; data: unknown; secrets: string[]; sentAt: Date }): SignedRequest {
  const body = JSON.stringify({ type: input.type, timestamp: input.occurredAt.toISOString(), data: input.data });
  const timestamp = Math.floor(input.sentAt.getTime() / 1000);
  return {
    body,
    headers: {
      "content-type": "application/json",
      "webhook-id": input.id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": input.secrets.map((secret) => signature(secret, input.id, timestamp, body)).join(" "),
    },
  };
}
