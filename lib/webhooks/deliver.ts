// One delivery attempt: POST the signed event to the endpoint (no redirects followed, the endpoint's
// timeout), store the attempt (status, latency, a bounded excerpt of the answer, the error), and apply
// the policy (policy.ts) — success, next attempt, failure after the schedule, or the endpoint disabled
// (410 Gone, or failing continuously for five days) with ENDPOINT_DISABLED — in one transaction.
import { decryptSecret } from "@/lib/crypto";
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { emitEvent } from "@/lib/events/emit";
import { DISABLE_AFTER_FAILING_MS, nextAttemptAt, shouldDisable, verdict, type AttemptOutcome } from "./policy";
import { signedRequest } from "./signing";
import { guardOptionsFromEnv, guardedFetch } from "./ssrf";

export const EXCERPT_BYTES = 1024;
/** Bodies larger than this carry a link to the event instead of its data. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

export interface DeliverOptions {
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
  disableAfterFailingMs?: number;
  /** Public base URL, for the link a too-large payload carries. */
  appUrl?: string;
}

let defaultFetch: typeof fetch | null = null;

/** Deliveries go through the SSRF guard configured from the environment (production refuses private addresses). */
function deliveryFetch(): typeof fetch {
  defaultFetch ??= guardedFetch(guardOptionsFromEnv());
  return defaultFetch;
}

interface LoadedDelivery {
  organizationId: string;
  environment: "sandbox" | "production";
  status: string;
  attemptCount: number;
  endpointId: string;
  endpointOrganizationId: string;
  url: string;
  enabled: boolean;
  secretEncrypted: string;
  previousSecretEncrypted: string | null;
  previousSecretExpiresAt: Date | null;
  retrySchedule: number[];
  timeoutMs: number;
  failingSince: Date | null;
  eventId: string;
  eventType: string;
  eventCreatedAt: Date;
  eventData: unknown;
}

export type AttemptResult = "succeeded" | "retry_scheduled" | "failed" | "endpoint_disabled" | "skipped";

export async function attemptDelivery(db: Db, deliveryId: string, options: DeliverOptions = {}): Promise<AttemptResult> {
  const now = options.now ?? Date.now;
  // One query for the delivery, its endpoint and its event.
  const [row] = await db.$queryRaw<LoadedDelivery[]>`
    select d.organization_id as "organizationId", d.environment::text as environment, d.status::text as status, d.attempt_count as "attemptCount",
           e.id as "endpointId", e.organization_id as "endpointOrganizationId", e.url, e.enabled, e.secret_encrypted as "secretEncrypted",
           e.previous_secret_encrypted as "previousSecretEncrypted", e.previous_secret_expires_at as "previousSecretExpiresAt",
           e.retry_schedule as "retrySchedule", e.timeout_ms as "timeoutMs", e.failing_since as "failingSince",
           v.id as "eventId", v.type as "eventType", v.created_at as "eventCreatedAt", v.data as "eventData"
    from deliveries d join webhook_endpoints e on e.id = d.endpoint_id join events v on v.id = d.event_id
    where d.id = ${deliveryId}`;
  if (!row) throw new Error(`No delivery ${deliveryId}`);
  const delivery = { organizationId: row.organizationId, environment: row.environment, status: row.status, attemptCount: row.attemptCount };
  const endpoint = {
    id: row.endpointId,
    organizationId: row.endpointOrganizationId,
    environment: row.environment,
    url: row.url,
    enabled: row.enabled,
    secretEncrypted: row.secretEncrypted,
    previousSecretEncrypted: row.previousSecretEncrypted,
    previousSecretExpiresAt: row.previousSecretExpiresAt,
    retrySchedule: row.retrySchedule,
    timeoutMs: row.timeoutMs,
    failingSince: row.failingSince,
  };
  const event = { id: row.eventId, type: row.eventType, createdAt: row.eventCreatedAt, data: row.eventData };
  if (delivery.status !== "pending" || !endpoint.enabled) return "skipped";

  const sentAt = new Date(now());
  const secrets = [decryptSecret(endpoint.secretEncrypted)];
  if (endpoint.previousSecretEncrypted && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt.getTime() > sentAt.getTime()) {
    secrets.push(decryptSecret(endpoint.previousSecretEncrypted));
  }
  let request = signedRequest({ id: event.id, type: event.type, occurredAt: event.createdAt, data: event.data, secrets, sentAt });
  if (Buffer.byteLength(request.body) > MAX_PAYLOAD_BYTES) {
    const appUrl = (options.appUrl ?? process.env.NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/$/, "");
    const data = { event_id: event.id, too_large: true, size_bytes: Buffer.byteLength(request.body), url: `${appUrl}/api/v1/events/${event.id}` };
    request = signedRequest({ id: event.id, type: event.type, occurredAt: event.createdAt, data, secrets, sentAt });
  }
  const started = performance.now();
  let outcome: AttemptOutcome = { status: null };
  let excerpt: string | null = null;
  let error: string | null = null;
  try {
    const response = await (options.fetch ?? deliveryFetch())(endpoint.url, { method: "POST", headers: request.headers, body: request.body, redirect: "manual", signal: AbortSignal.timeout(endpoint.timeoutMs) });
    outcome = { status: response.status, retryAfter: response.headers.get("retry-after") };
    excerpt = (await response.text().catch(() => "")).slice(0, EXCERPT_BYTES) || null;
    if (response.status >= 300 && response.status < 400) error = `Redirect to ${response.headers.get("location") ?? "?"} not followed`;
  } catch (cause) {
    error = cause instanceof Error && cause.name === "TimeoutError" ? `No answer within ${endpoint.timeoutMs} ms` : cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
  }
  const latencyMs = Math.round(performance.now() - started);
  const number = delivery.attemptCount + 1;
  const decided = verdict(outcome);
  const finishedAt = now();

  if (decided === "succeeded") {
    // The common case in one statement (atomic on its own): the attempt, the delivery, and the
    // endpoint's failure streak ended if it had one.
    await db.$executeRaw`
      with attempt as (
        insert into delivery_attempts (id, organization_id, environment, delivery_id, number, started_at, status_code, latency_ms, response_excerpt, error)
        values (${newId("att")}, ${delivery.organizationId}, ${delivery.environment}::"EnvironmentKind", ${deliveryId}, ${number}, ${sentAt}, ${outcome.status}, ${latencyMs}, ${excerpt}, ${error})
      ), done as (
        update deliveries set status = 'succeeded', attempt_count = ${number}, last_attempt_at = ${new Date(finishedAt)}, next_attempt_at = null,
               lease_owner = null, lease_expires_at = null, updated_at = now()
        where id = ${deliveryId}
      )
      update webhook_endpoints set failing_since = null, updated_at = now() where id = ${endpoint.id} and failing_since is not null`;
    return "succeeded";
  }
  return db.$transaction(async (tx) => {
    await tx.deliveryAttempt.create({
      data: { id: newId("att"), organizationId: delivery.organizationId, environment: delivery.environment, deliveryId, number, startedAt: sentAt, statusCode: outcome.status, latencyMs, responseExcerpt: excerpt, error },
    });
    const base = { attemptCount: number, lastAttemptAt: new Date(finishedAt), leaseOwner: null, leaseExpiresAt: null };
    const failingSince = endpoint.failingSince ?? sentAt;
    const disable = decided === "gone" ? "The endpoint answered 410 Gone" : shouldDisable(failingSince, finishedAt, options.disableAfterFailingMs ?? DISABLE_AFTER_FAILING_MS) ? `Every delivery failed since ${failingSince.toISOString()}` : null;
    const next = disable ? null : nextAttemptAt({ attemptsMade: number, now: finishedAt, schedule: endpoint.retrySchedule, outcome, random: options.random?.() });
    await tx.delivery.update({ where: { id: deliveryId }, data: { ...base, status: next ? "pending" : "failed", nextAttemptAt: next } });
    await tx.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: { failingSince, ...(disable ? { enabled: false, disabledReason: disable, disabledAt: new Date(finishedAt) } : {}) },
    });
    if (disable) {
      await emitEvent(tx, {
        organizationId: endpoint.organizationId,
        environment: endpoint.environment,
        type: "ENDPOINT_DISABLED",
        data: { endpoint_id: endpoint.id, url: endpoint.url, reason: disable },
      });
      return "endpoint_disabled";
    }
    return next ? "retry_scheduled" : "failed";
  });
}
