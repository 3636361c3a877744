// Webhook endpoints and deliveries as the API shows them, scoped to the API key's organization and
// environment. The views list their columns one by one, so a secret column can never slip into an
// answer: the secret is returned only by creation and rotation, from their own return values.
import type { Db } from "@/lib/db/client";
import type { Delivery, DeliveryAttempt, WebhookEndpoint } from "@/lib/generated/prisma/client";
import { InvalidEndpointError, validateEndpoint, type EndpointInput } from "@/lib/webhooks/endpoints";
import { notFound } from "./errors";
import type { ApiScope } from "./keys";

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function endpointView(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    event_types: endpoint.eventTypes,
    objects: endpoint.objects,
    retry_schedule: endpoint.retrySchedule,
    timeout_ms: endpoint.timeoutMs,
    ordering_wait_seconds: endpoint.orderingWaitSeconds,
    enabled: endpoint.enabled,
    disabled_reason: endpoint.disabledReason,
    disabled_at: iso(endpoint.disabledAt),
    failing_since: iso(endpoint.failingSince),
    // When the secret before the last rotation stops signing (null once no rotation is under way).
    previous_secret_expires_at: endpoint.previousSecretExpiresAt && endpoint.previousSecretEncrypted ? endpoint.previousSecretExpiresAt.toISOString() : null,
    created_at: endpoint.createdAt.toISOString(),
    updated_at: endpoint.updatedAt.toISOString(),
  };
}

export function deliveryView(delivery: Delivery & { event: { type: string } }) {
  return {
    id: delivery.id,
    endpoint_id: delivery.endpointId,
    event_id: delivery.eventId,
    event_type: delivery.event.type,
    status: delivery.status,
    attempt_count: delivery.attemptCount,
    next_attempt_at: iso(delivery.nextAttemptAt),
    last_attempt_at: iso(delivery.lastAttemptAt),
    created_at: delivery.createdAt.toISOString(),
  };
}

export function deliveryDetailView(delivery: Delivery & { event: { type: string }; attempts: DeliveryAttempt[] }) {
  return {
    ...deliveryView(delivery),
    attempts: delivery.attempts.map((a) => ({
      number: a.number,
      started_at: a.startedAt.toISOString(),
      status_code: a.statusCode,
      latency_ms: a.latencyMs,
      response_excerpt: a.responseExcerpt,
      error: a.error,
    })),
  };
}

export async function scopedEndpoint(db: Db, scope: ApiScope, id: string): Promise<WebhookEndpoint> {
  const endpoint = await db.webhookEndpoint.findFirst({ where: { id, organizationId: scope.organizationId, environment: scope.environment } });
  // Another organization's endpoint answers exactly like a missing one.
  if (!endpoint) throw notFound("such webhook endpoint");
  return endpoint;
}

export async function scopedDelivery(db: Db, scope: ApiScope, id: string) {
  const delivery = await db.delivery.findFirst({
    where: { id, organizationId: scope.organizationId, environment: scope.environment },
    include: { event: { select: { type: true } }, attempts: { orderBy: { number: "asc" } } },
  });
  if (!delivery) throw notFound("such delivery");
  return delivery;
}

/** Validates an endpoint as creation does (the destination included, as deliveries will); throws naming the field. */
export function checkEndpoint(input: EndpointInput): void {
  const problems = validateEndpoint(input);
  if (problems.length) throw new InvalidEndpointError(problems);
}

export interface EndpointBody {
  url?: string;
  description?: string | null;
  event_types?: string[];
  objects?: string[];
  retry_schedule?: number[];
  timeout_ms?: number;
  ordering_wait_seconds?: number;
}

export const endpointInput = (body: EndpointBody, current?: WebhookEndpoint): EndpointInput => ({
  url: body.url ?? current?.url ?? "",
  description: body.description === undefined ? current?.description : body.description,
  eventTypes: body.event_types ?? current?.eventTypes,
  objects: body.objects ?? current?.objects,
  retrySchedule: body.retry_schedule ?? current?.retrySchedule,
  timeoutMs: body.timeout_ms ?? current?.timeoutMs,
  orderingWaitSeconds: body.ordering_wait_seconds ?? current?.orderingWaitSeconds,
});

/** Changes an endpoint; the merged result must pass what a new endpoint would. */
export async function updateEndpoint(db: Db, endpoint: WebhookEndpoint, body: EndpointBody): Promise<WebhookEndpoint> {
  const input = endpointInput(body, endpoint);
  checkEndpoint(input);
  return db.webhookEndpoint.update({
    where: { id: endpoint.id },
    data: {
      url: input.url,
      description: input.description ?? null,
      eventTypes: input.eventTypes,
      objects: input.objects,
      retrySchedule: input.retrySchedule,
      timeoutMs: input.timeoutMs,
      orderingWaitSeconds: input.orderingWaitSeconds,
    },
  });
}
