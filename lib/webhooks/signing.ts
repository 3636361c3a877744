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

/** Where a delivery stands in its endpoint's ordered stream (streams.ts). */
export interface StreamPosition {
  stream: string;
  sequence: number;
}

/** The body `{ type, timestamp, stream, sequence, data }`; the same event and position always give the same bytes. */
export function webhookBody(input: { type: string; occurredAt: Date; data: unknown; position?: StreamPosition }): string {
  return JSON.stringify({
    type: input.type,
    timestamp: input.occurredAt.toISOString(),
    stream: input.position?.stream,
    sequence: input.position?.sequence,
    data: input.data,
  });
}

/**
 * The body and its headers, signed with every given secret. The stream position is repeated in
 * `tributary-stream` and `tributary-sequence`, so a receiver can check the order before parsing.
 */
export function signedRequest(input: {
  id: string;
  type: string;
  occurredAt: Date;
  data: unknown;
  secrets: string[];
  sentAt: Date;
  position?: StreamPosition;
  body?: string;
}): SignedRequest {
  const body = input.body ?? webhookBody(input);
  const timestamp = Math.floor(input.sentAt.getTime() / 1000);
  return {
    body,
    headers: {
      "content-type": "application/json",
      "webhook-id": input.id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": input.secrets.map((secret) => signature(secret, input.id, timestamp, body)).join(" "),
      ...(input.position ? { "tributary-stream": input.position.stream, "tributary-sequence": String(input.position.sequence) } : {}),
    },
  };
}
