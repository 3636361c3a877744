// Webhook endpoints and their deliveries: manage endpoints, rotate secrets, disable and enable, send a
// test event, replay failures in a window; list and inspect deliveries and resend one.
import { z } from "zod";
import { DeliveryStatus } from "@/lib/generated/prisma/enums";
import { instant } from "@/lib/input";
import { defineOperation } from "../operation";
import { cursor, pageLimit, pathId } from "../params";

const endpointId = { id: pathId("whk", "The endpoint's id (whk_…)") };
const deliveryId = { id: pathId("dlv", "The delivery's id (dlv_…)") };
const isoDateTime = instant();

const endpointFields = {
  url: z.string({ message: "is required: an absolute https URL" }).meta({ description: "Where deliveries are POSTed (at most 2048 characters)" }),
  description: z.string().max(500).nullable().optional(),
  event_types: z.array(z.string()).optional().meta({ description: "Event types, with * wildcards (e.g. *_SYNC_FAILED); [] = every event" }),
  objects: z.array(z.string()).optional().meta({ description: "Objects whose data events are wanted; [] = all" }),
  retry_schedule: z.array(z.number()).optional().meta({ description: "Seconds before each attempt; [] = the default schedule" }),
  timeout_ms: z.number().optional().meta({ description: "Milliseconds to wait for a 2xx (1000 to 60000, default 15000)" }),
  ordering_wait_seconds: z.number().optional().meta({
    description:
      "Deliveries of one stream (a connection) are sent in order: how long a failing one holds back the later ones before they go on without it (0 to 86400 seconds, default 3600; 0 = never hold)",
  }),
};

export const listWebhookEndpoints = defineOperation({
  operationId: "listWebhookEndpoints",
  method: "GET",
  path: "/webhook-endpoints",
  tag: "Webhooks",
  summary: "Webhook endpoints, newest first",
  query: z.object({ cursor: cursor(/^whk_[0-9A-Z]{26}$/), limit: pageLimit(100, 50) }),
  responses: { 200: "`{ webhook_endpoints, next_cursor }`" },
});

export const createWebhookEndpoint = defineOperation({
  operationId: "createWebhookEndpoint",
  method: "POST",
  path: "/webhook-endpoints",
  tag: "Webhooks",
  summary: "Create an endpoint; the answer holds its signing secret, which is never shown again",
  body: z.object(endpointFields).strict(),
  responses: { 201: "`{ webhook_endpoint, secret }`", 400: "The endpoint is invalid (the field is named)" },
  secretFields: ["secret"],
});

export const getWebhookEndpoint = defineOperation({
  operationId: "getWebhookEndpoint",
  method: "GET",
  path: "/webhook-endpoints/{id}",
  tag: "Webhooks",
  summary: "One endpoint (without its secret)",
  pathParams: endpointId,
  responses: { 200: "`{ webhook_endpoint }`", 404: "No such endpoint" },
});

export const updateWebhookEndpoint = defineOperation({
  operationId: "updateWebhookEndpoint",
  method: "PATCH",
  path: "/webhook-endpoints/{id}",
  tag: "Webhooks",
  summary: "Change an endpoint; the result is validated as a new endpoint would be",
  pathParams: endpointId,
  body: z.object({ ...endpointFields, url: endpointFields.url.optional() }).strict(),
  responses: { 200: "`{ webhook_endpoint }`", 400: "The endpoint is invalid (the field is named)", 404: "No such endpoint" },
});

export const deleteWebhookEndpoint = defineOperation({
  operationId: "deleteWebhookEndpoint",
  method: "DELETE",
  path: "/webhook-endpoints/{id}",
  tag: "Webhooks",
  summary: "Delete an endpoint and its deliveries",
  pathParams: endpointId,
  responses: { 200: "`{ id, deleted: true }`", 404: "No such endpoint" },
});

export const rotateWebhookSecret = defineOperation({
  operationId: "rotateWebhookSecret",
  method: "POST",
  path: "/webhook-endpoints/{id}/rotate-secret",
  tag: "Webhooks",
  summary: "A new signing secret, shown once; the previous one also signs until previous_secret_expires_at (24 hours)",
  pathParams: endpointId,
  body: z.object({}).strict(),
  responses: { 200: "`{ id, secret, previous_secret_expires_at }`", 404: "No such endpoint" },
  secretFields: ["secret"],
});

export const disableWebhookEndpoint = defineOperation({
  operationId: "disableWebhookEndpoint",
  method: "POST",
  path: "/webhook-endpoints/{id}/disable",
  tag: "Webhooks",
  summary: "Stop sending to an endpoint (ENDPOINT_DISABLED); its pending deliveries wait until it is enabled",
  pathParams: endpointId,
  body: z.object({ reason: z.string().min(1).max(500).optional() }).strict(),
  responses: { 200: "`{ webhook_endpoint }`", 404: "No such endpoint" },
});

export const enableWebhookEndpoint = defineOperation({
  operationId: "enableWebhookEndpoint",
  method: "POST",
  path: "/webhook-endpoints/{id}/enable",
  tag: "Webhooks",
  summary: "Send to an endpoint again; with replay_missed_since, also what it missed and what failed since then",
  pathParams: endpointId,
  body: z
    .object({
      replay_missed_since: isoDateTime.optional().meta({ description: "Deliver the events it missed since this time, and retry its failures since then" }),
    })
    .strict(),
  responses: { 200: "`{ webhook_endpoint, deliveries_queued }`", 404: "No such endpoint" },
});

export const testWebhookEndpoint = defineOperation({
  operationId: "testWebhookEndpoint",
  method: "POST",
  path: "/webhook-endpoints/{id}/test",
  tag: "Webhooks",
  summary: "Send an ENDPOINT_TEST event to this endpoint only (it waits if the endpoint is disabled)",
  pathParams: endpointId,
  body: z.object({}).strict(),
  responses: { 202: "`{ delivery_id }`", 404: "No such endpoint" },
});

export const replayWebhookDeliveries = defineOperation({
  operationId: "replayWebhookDeliveries",
  method: "POST",
  path: "/webhook-endpoints/{id}/replay",
  tag: "Webhooks",
  summary: "Send again every failed delivery of the endpoint created in [from, to)",
  pathParams: endpointId,
  body: z
    .object({
      from: isoDateTime.meta({ description: "Start of the window (inclusive)" }),
      to: isoDateTime.meta({ description: "End of the window (exclusive)" }),
    })
    .strict()
    .refine((window) => window.from < window.to, { message: "must be before to", path: ["from"] }),
  responses: { 202: "`{ replayed }`: how many deliveries were queued again", 404: "No such endpoint" },
});

export const listDeliveries = defineOperation({
  operationId: "listDeliveries",
  method: "GET",
  path: "/webhook-endpoints/{id}/deliveries",
  tag: "Webhooks",
  summary: "An endpoint's deliveries, newest first",
  pathParams: endpointId,
  query: z.object({
    status: z.enum(DeliveryStatus, { message: `must be one of ${Object.values(DeliveryStatus).join(", ")}` }).optional(),
    cursor: cursor(/^dlv_[0-9A-Z]{26}$/),
    limit: pageLimit(100, 50),
  }),
  responses: { 200: "`{ deliveries, next_cursor }`", 404: "No such endpoint" },
});

export const getDelivery = defineOperation({
  operationId: "getDelivery",
  method: "GET",
  path: "/deliveries/{id}",
  tag: "Webhooks",
  summary: "One delivery with each attempt: status code, latency, response excerpt, error, time",
  pathParams: deliveryId,
  responses: { 200: "`{ delivery }`", 404: "No such delivery" },
});

export const resendDelivery = defineOperation({
  operationId: "resendDelivery",
  method: "POST",
  path: "/deliveries/{id}/resend",
  tag: "Webhooks",
  summary: "Send a delivery once more, whatever its state (receivers dedupe on webhook-id)",
  pathParams: deliveryId,
  body: z.object({}).strict(),
  responses: { 202: "`{ delivery }`: pending, its next attempt due now", 404: "No such delivery" },
});

export const retryDelivery = defineOperation({
  operationId: "retryDelivery",
  method: "POST",
  path: "/deliveries/{id}/retry",
  tag: "Webhooks",
  summary: "Make a delivery that is waiting for its next attempt due now, instead of at the end of its backoff",
  description:
    "Only a pending delivery is retried (resend is for delivered and failed ones); a delivery an attempt holds right now is left to it (409 DELIVERY_IN_FLIGHT).",
  pathParams: deliveryId,
  body: z.object({}).strict(),
  responses: {
    202: "`{ delivery }`: its next attempt due now",
    404: "No such delivery",
    409: "Not pending (DELIVERY_NOT_PENDING), or an attempt is under way (DELIVERY_IN_FLIGHT)",
  },
});
