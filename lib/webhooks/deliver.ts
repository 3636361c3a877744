// One delivery attempt: POST the signed event to the endpoint (no redirects followed, the endpoint's
// timeout), store the attempt (status, latency, a bounded excerpt of the answer, the error), and apply
// the policy (policy.ts) — success, next attempt, failure after the schedule, or the endpoint disabled
// (410 Gone, or failing continuously for five days) with ENDPOINT_DISABLED — in one transaction.
// The attempt keeps the request's headers as sent; the body as sent is renderDeliveryBody's.
import packageJson from "@/package.json";
import { decryptSecret } from "@/lib/crypto";
import { rawQuery, type Db } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { emitEvent } from "@/lib/events/emit";
import { Prisma } from "@/lib/generated/prisma/client";
import { DELIVERY, sqlList } from "@/lib/lifecycles";
import { FREE_LEASE, FREE_LEASE_SQL } from "@/lib/queue/lease";
import { DISABLE_AFTER_FAILING_MS, nextAttemptAt, shouldDisable, verdict, type AttemptOutcome } from "./policy";
import { signedRequest, webhookBody } from "./signing";
import { guardOptionsFromEnv, guardedPost, type GuardedPost } from "./ssrf";

export const EXCERPT_BYTES = 1024;
/** An answer is read this far (an ordinary one whole, so its connection is kept), never further. */
const ANSWER_READ_BYTES = 256 * 1024;
/** Bodies larger than this carry a link to the event instead of its data. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;
/** Every delivery says who sent it, so receivers can tell Tributary's requests apart in their logs and firewalls. */
export const USER_AGENT = `Tributary-Webhooks/${packageJson.version}`;

export interface DeliverOptions {
  now?: () => number;
  random?: () => number;
  disableAfterFailingMs?: number;
  /** Public base URL, for the link a too-large payload carries. */
  appUrl?: string;
}

let post: GuardedPost | null = null;

/** Deliveries go through the SSRF guard configured from the environment (production refuses private addresses). */
function deliveryPost(): GuardedPost {
  post ??= guardedPost({ ...guardOptionsFromEnv(), maxAnswerBytes: ANSWER_READ_BYTES });
  return post;
}

/** Everything one attempt needs: the delivery, its endpoint and its event. */
export interface LoadedDelivery {
  deliveryId: string;
  organizationId: string;
  environment: "sandbox" | "production";
  status: string;
  attemptCount: number;
  endpointId: string;
  url: string;
  enabled: boolean;
  secretEncrypted: string;
  previousSecretEncrypted: string | null;
  previousSecretExpiresAt: Date | null;
  retrySchedule: number[];
  timeoutMs: number;
  failingSince: Date | null;
  stream: string;
  sequence: number;
  /** The delivery's own run of failures (the endpoint's is failingSince). */
  deliveryFailingSince: Date | null;
  eventId: string;
  eventType: string;
  eventCreatedAt: Date;
  eventData: unknown;
}

export type AttemptResult = "succeeded" | "retry_scheduled" | "failed" | "endpoint_disabled" | "skipped";

/** One attempt at one delivery (the Inngest chain's step, and tests). */
export async function attemptDelivery(db: Db, deliveryId: string, options: DeliverOptions = {}): Promise<AttemptResult> {
  const results = await attemptDeliveries(db, [deliveryId], options);
  const result = results.get(deliveryId);
  if (!result) throw new Error(`No delivery ${deliveryId}`);
  return result;
}

/**
 * One attempt at each of a batch of deliveries: one query loads them all, the requests go out at once,
 * and every success of the batch is recorded in one statement. Failures are rarer and each needs the
 * policy (next attempt, endpoint disabled): they are recorded one transaction each.
 */
export async function attemptDeliveries(db: Db, deliveryIds: string[], options: DeliverOptions = {}): Promise<Map<string, AttemptResult>> {
  if (deliveryIds.length === 0) return new Map();
  const { rows } = await rawQuery<LoadedDelivery>(db, loadDeliveriesSql(Prisma.sql`deliveries`, Prisma.sql`d.id = any(${deliveryIds}::text[])`));
  return attemptLoadedDeliveries(db, rows, options);
}

/**
 * A LoadedDelivery for each of the deliveries in `from` (a table or a CTE of deliveries' rows) that
 * match `where`, with its endpoint and its event. A claim loads what it leased with it (claims.ts).
 */
export function loadDeliveriesSql(from: Prisma.Sql, where: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    select d.id as "deliveryId", d.organization_id as "organizationId", d.environment::text as environment, d.status::text as status, d.attempt_count as "attemptCount",
           e.id as "endpointId", e.url, e.enabled, e.secret_encrypted as "secretEncrypted",
           e.previous_secret_encrypted as "previousSecretEncrypted", e.previous_secret_expires_at as "previousSecretExpiresAt",
           e.retry_schedule as "retrySchedule", e.timeout_ms as "timeoutMs", e.failing_since as "failingSince",
           d.stream, d.sequence, d.failing_since as "deliveryFailingSince",
           v.id as "eventId", v.type as "eventType", v.created_at as "eventCreatedAt", v.data as "eventData"
    from ${from} d join webhook_endpoints e on e.id = d.endpoint_id join events v on v.id = d.event_id
    where ${where}`;
}

/**
 * One attempt at each of deliveries already loaded: for a writer that has just written the delivery
 * and its event and knows them (a sync job run), so the event's body is not read back.
 */
export async function attemptLoadedDeliveries(db: Db, rows: LoadedDelivery[], options: DeliverOptions = {}): Promise<Map<string, AttemptResult>> {
  const results = new Map<string, AttemptResult>();
  const sendable = rows.filter((row) => {
    const ok = row.status === "pending" && row.enabled;
    if (!ok) results.set(row.deliveryId, "skipped");
    return ok;
  });
  const attempts = await Promise.all(sendable.map((row) => send(row, options)));
  const successes = attempts.filter((attempt) => verdict(attempt.outcome) === "succeeded");
  if (successes.length) {
    await rawQuery(
      db,
      Prisma.sql`
      with batch as (
        select * from unnest(${successes.map(() => newId("att"))}::text[], ${successes.map((a) => a.row.deliveryId)}::text[], ${successes.map((a) => a.row.organizationId)}::text[],
                             ${successes.map((a) => a.row.environment)}::text[], ${successes.map((a) => a.number)}::int[], ${successes.map((a) => a.sentAt)}::timestamptz[],
                             ${successes.map((a) => a.outcome.status)}::int[], ${successes.map((a) => a.latencyMs)}::int[], ${successes.map((a) => a.excerpt)}::text[],
                             ${successes.map((a) => new Date(a.finishedAt))}::timestamptz[], ${successes.map((a) => a.row.endpointId)}::text[],
                             ${successes.map((a) => JSON.stringify(a.headers))}::text[])
          as t(id, delivery_id, organization_id, environment, number, started_at, status_code, latency_ms, response_excerpt, finished_at, endpoint_id, request_headers)
      ), attempts as (
        insert into delivery_attempts (id, organization_id, environment, delivery_id, number, started_at, status_code, latency_ms, response_excerpt, error, request_headers)
        select id, organization_id, environment::"EnvironmentKind", delivery_id, number, started_at, status_code, latency_ms, response_excerpt, null, request_headers::jsonb from batch
      ), done as (
        update deliveries d set status = 'succeeded', attempt_count = b.number, last_attempt_at = b.finished_at, next_attempt_at = null,
               failing_since = null, ${FREE_LEASE_SQL}, updated_at = now()
        from batch b where d.id = b.delivery_id and d.status in ${sqlList(DELIVERY.into("succeeded"))}
      )
      update webhook_endpoints set failing_since = null, updated_at = now()
      where id in (select endpoint_id from batch) and failing_since is not null`,
    );
    for (const attempt of successes) results.set(attempt.row.deliveryId, "succeeded");
  }
  for (const attempt of attempts) {
    if (results.has(attempt.row.deliveryId)) continue;
    results.set(attempt.row.deliveryId, await recordFailure(db, attempt, options));
  }
  return results;
}

/**
 * The body a delivery sends, the same on every attempt: the event with the delivery's stream and
 * sequence, or, past MAX_PAYLOAD_BYTES, a link to the event in its place.
 */
export function renderDeliveryBody(
  delivery: Pick<LoadedDelivery, "eventId" | "eventType" | "eventCreatedAt" | "eventData" | "stream" | "sequence">,
  options: Pick<DeliverOptions, "appUrl"> = {},
): string {
  const event = { type: delivery.eventType, occurredAt: delivery.eventCreatedAt, position: delivery };
  const body = webhookBody({ ...event, data: delivery.eventData });
  if (Buffer.byteLength(body) <= MAX_PAYLOAD_BYTES) return body;
  const appUrl = (options.appUrl ?? process.env.NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/$/, "");
  return webhookBody({
    ...event,
    data: { event_id: delivery.eventId, too_large: true, size_bytes: Buffer.byteLength(body), url: `${appUrl}/api/v1/events/${delivery.eventId}` },
  });
}

interface SentAttempt {
  row: LoadedDelivery;
  /** The request's headers exactly as sent. */
  headers: Record<string, string>;
  number: number;
  sentAt: Date;
  outcome: AttemptOutcome;
  excerpt: string | null;
  error: string | null;
  latencyMs: number;
  finishedAt: number;
}

async function send(row: LoadedDelivery, options: DeliverOptions): Promise<SentAttempt> {
  const now = options.now ?? Date.now;
  const sentAt = new Date(now());
  let request: ReturnType<typeof signedRequest>;
  try {
    const secrets = [decryptSecret(row.secretEncrypted)];
    if (row.previousSecretEncrypted && row.previousSecretExpiresAt && row.previousSecretExpiresAt.getTime() > sentAt.getTime()) {
      secrets.push(decryptSecret(row.previousSecretEncrypted));
    }
    request = signedRequest({
      id: row.eventId,
      type: row.eventType,
      occurredAt: row.eventCreatedAt,
      data: null,
      secrets,
      sentAt,
      position: row,
      body: renderDeliveryBody(row, options),
    });
  } catch (cause) {
    // Nothing is sent unsigned. The attempt fails like an unreachable receiver (retried, and the
    // endpoint disabled if it lasts), saying why; the batch's other deliveries go as usual.
    const reason = cause instanceof Error ? cause.message : String(cause);
    return {
      row,
      headers: {},
      number: row.attemptCount + 1,
      sentAt,
      outcome: { status: null },
      excerpt: null,
      error: `Not sent: the endpoint's signing secret cannot be read (${reason}); rotate the secret`,
      latencyMs: 0,
      finishedAt: now(),
    };
  }
  const headers = { ...request.headers, "user-agent": USER_AGENT };
  const started = performance.now();
  let outcome: AttemptOutcome = { status: null };
  let excerpt: string | null = null;
  let error: string | null = null;
  try {
    const response = await deliveryPost()(row.url, { headers, body: request.body, signal: AbortSignal.timeout(row.timeoutMs) });
    outcome = { status: response.status, retryAfter: response.header("retry-after") };
    excerpt = (await response.text().catch(() => "")).slice(0, EXCERPT_BYTES) || null;
    if (response.status >= 300 && response.status < 400) error = `Redirect to ${response.header("location") ?? "?"} not followed`;
  } catch (cause) {
    error =
      cause instanceof Error && cause.name === "TimeoutError"
        ? `No answer within ${row.timeoutMs} ms`
        : cause instanceof Error
          ? cause.cause instanceof Error
            ? cause.cause.message
            : cause.message
          : String(cause);
  }
  return { row, headers, number: row.attemptCount + 1, sentAt, outcome, excerpt, error, latencyMs: Math.round(performance.now() - started), finishedAt: now() };
}

/** A failed attempt under the policy: next attempt, failure after the schedule, or the endpoint disabled. */
async function recordFailure(db: Db, attempt: SentAttempt, options: DeliverOptions): Promise<AttemptResult> {
  const { row, number, sentAt, outcome, finishedAt } = attempt;
  const decided = verdict(outcome);
  return db.$transaction(async (tx) => {
    await tx.deliveryAttempt.create({
      data: {
        id: newId("att"),
        organizationId: row.organizationId,
        environment: row.environment,
        deliveryId: row.deliveryId,
        number,
        startedAt: sentAt,
        statusCode: outcome.status,
        latencyMs: attempt.latencyMs,
        responseExcerpt: attempt.excerpt,
        error: attempt.error,
        requestHeaders: attempt.headers,
      },
    });
    const base = { attemptCount: number, lastAttemptAt: new Date(finishedAt), ...FREE_LEASE };
    // The streak starts at the first failure; read it fresh, another attempt of the batch may have started it.
    const endpoint = await tx.webhookEndpoint.findUniqueOrThrow({
      where: { id: row.endpointId },
      select: { failingSince: true, enabled: true, organizationId: true, environment: true, url: true },
    });
    const failingSince = endpoint.failingSince ?? sentAt;
    const disable =
      decided === "gone"
        ? "The endpoint answered 410 Gone"
        : shouldDisable(failingSince, finishedAt, options.disableAfterFailingMs ?? DISABLE_AFTER_FAILING_MS)
          ? `Every delivery failed since ${failingSince.toISOString()}`
          : null;
    const next = disable ? null : nextAttemptAt({ attemptsMade: number, now: finishedAt, schedule: row.retrySchedule, outcome, random: options.random?.() });
    // From its first failure the delivery holds its stream for the endpoint's ordering wait (claims.ts).
    // Still pending (a retry) or failed for good, and only if still pending: one cancelled while this attempt was in flight stays cancelled.
    await tx.delivery.updateMany({
      where: { id: row.deliveryId, status: { in: DELIVERY.into("failed") } },
      data: { ...base, status: next ? "pending" : "failed", nextAttemptAt: next, failingSince: row.deliveryFailingSince ?? sentAt },
    });
    await tx.webhookEndpoint.update({
      where: { id: row.endpointId },
      data: { failingSince, ...(disable ? { enabled: false, disabledReason: disable, disabledAt: new Date(finishedAt) } : {}) },
    });
    // One ENDPOINT_DISABLED, even when several attempts of a batch disable the same endpoint.
    if (disable && endpoint.enabled) {
      await emitEvent(tx, {
        organizationId: endpoint.organizationId,
        environment: endpoint.environment,
        type: "ENDPOINT_DISABLED",
        data: { endpoint_id: row.endpointId, url: endpoint.url, reason: disable },
      });
      return "endpoint_disabled";
    }
    return disable ? "endpoint_disabled" : next ? "retry_scheduled" : "failed";
  });
}
