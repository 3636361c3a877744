// What Tributary sends verifies with the stock `standardwebhooks` library, before and during a
// secret rotation (both secrets sign), and fails for a tampered body or another secret.
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { eventCatalogue, eventPatternProblem } from "@/lib/events/catalog";
import { newWebhookSecret, signedRequest } from "./signing";

describe("Standard Webhooks signing", () => {
  const event = {
    id: "evt_01JD0000000000000000000000",
    type: "ORDER_CREATED",
    occurredAt: new Date("2026-11-22T10:00:00Z"),
    data: { connection_id: "conn_1", id: "42" },
  };

  it("verifies with the stock library, and rejects tampering and other secrets", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const { headers, body } = signedRequest({ ...event, secrets: [secret], sentAt: new Date() });
    expect(new Webhook(secret).verify(body, headers)).toEqual({
      type: "ORDER_CREATED",
      timestamp: "2026-11-22T10:00:00.000Z",
      data: { connection_id: "conn_1", id: "42" },
    });
    expect(headers["webhook-id"]).toBe(event.id);
    expect(() => new Webhook(secret).verify(body.replace("42", "43"), headers)).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });

  it("signs with both secrets during a rotation, so receivers holding either verify", () => {
    const [old, fresh] = [newWebhookSecret(), newWebhookSecret()];
    const { headers, body } = signedRequest({ ...event, secrets: [fresh, old], sentAt: new Date() });
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(new Webhook(old).verify(body, headers)).toBeTruthy();
    expect(new Webhook(fresh).verify(body, headers)).toBeTruthy();
  });
});

describe("the event catalogue", () => {
  it("lists every connection, run and per-object type, and checks subscription patterns", () => {
    const catalogue = eventCatalogue();
    for (const type of [
      "CONNECTION_CREATED",
      "INITIAL_UPDATE",
      "ORDER_CREATED",
      "INVOICE_UPDATED",
      "COMMENT_SYNC_FAILED",
      "SYNC_RATE_LIMITED",
      "ENDPOINT_DISABLED",
    ])
      expect(catalogue).toContain(type);
    expect(eventPatternProblem("ORDER_CREATED")).toBeNull();
    expect(eventPatternProblem("*_SYNC_FAILED")).toBeNull();
    expect(eventPatternProblem("ORDER_EXPLODED")).toBe('unknown event type "ORDER_EXPLODED"');
    expect(eventPatternProblem("*_NOPE")).toBe('"*_NOPE" matches no event type');
    expect(eventPatternProblem("order.created")).toMatch(/is not an event type/);
  });
});
