// Webhook endpoints: created with validation that names the field at fault, a `whsec_` secret that is
// returned once and stored encrypted, and rotation during which the old secret still signs.
import { encryptSecret } from "@/lib/crypto";
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";
import { eventPatternProblem } from "@/lib/events/catalog";
import { PLATFORM_CATALOG } from "@/lib/platforms/catalog";
import { newWebhookSecret } from "./signing";
import { destinationProblem, guardOptionsFromEnv, type GuardOptions } from "./ssrf";
import { objectKeys } from "@/lib/platforms/definition";
import { CodedError, type PublicError } from "@/lib/errors";

export const ROTATION_GRACE_MS = 24 * 3600 * 1000;
const MAX_SCHEDULE = 20;
const MAX_DELAY_SECONDS = 7 * 24 * 3600;
/** Each pattern is matched against the whole catalogue on save (111 types): the list is bounded like the patterns. */
const MAX_EVENT_TYPES = 200;
/** The longest URL browsers, proxies and most servers reliably accept. */
export const MAX_URL_LENGTH = 2048;
/** How long a failing delivery may hold back its stream at most: a day. */
export const MAX_ORDERING_WAIT_SECONDS = 86_400;
export const DEFAULT_ORDERING_WAIT_SECONDS = 3600;

export interface EndpointInput {
  url: string;
  description?: string | null;
  eventTypes?: string[];
  objects?: string[];
  retrySchedule?: number[];
  timeoutMs?: number;
  /** How long a failing delivery holds back the later ones of its stream (claims.ts); 0 = never. */
  orderingWaitSeconds?: number;
}

export interface FieldProblem {
  path: string;
  message: string;
}

export class InvalidEndpointError extends CodedError {
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join("; "));
    this.name = "InvalidEndpointError";
  }
  publicError(): PublicError {
    return { code: "INVALID_FIELD", message: this.message, field: this.problems[0]?.path ?? null };
  }
}

/** Every problem of an endpoint, each naming its field; the destination by the SSRF rule (ssrf.ts) as deliveries will apply it. */
export function validateEndpoint(input: EndpointInput, guard: GuardOptions = guardOptionsFromEnv()): FieldProblem[] {
  const problems: FieldProblem[] = [];
  let url: URL | null = null;
  if (input.url.length > MAX_URL_LENGTH) {
    problems.push({ path: "url", message: `must be at most ${MAX_URL_LENGTH} characters` });
  } else {
    try {
      url = new URL(input.url);
    } catch {
      problems.push({ path: "url", message: "must be an absolute URL such as https://example.com/webhooks" });
    }
  }
  if (url && url.protocol !== "https:" && url.protocol !== "http:") problems.push({ path: "url", message: "must use https (or http)" });
  if (url && (url.username || url.password)) problems.push({ path: "url", message: "must not contain credentials; verify the signature instead" });
  const destination = url ? destinationProblem(input.url, guard) : null;
  if (destination) problems.push({ path: "url", message: destination });
  const eventTypes = input.eventTypes ?? [];
  if (eventTypes.length > MAX_EVENT_TYPES) problems.push({ path: "event_types", message: `at most ${MAX_EVENT_TYPES} event types or patterns` });
  eventTypes.slice(0, MAX_EVENT_TYPES).forEach((pattern, i) => {
    const problem = eventPatternProblem(pattern);
    if (problem) problems.push({ path: `event_types[${i}]`, message: problem });
  });
  const objects = new Set<string>(PLATFORM_CATALOG.flatMap(objectKeys));
  (input.objects ?? []).forEach((object, i) => {
    if (!objects.has(object)) problems.push({ path: `objects[${i}]`, message: `unknown object "${object}"` });
  });
  const schedule = input.retrySchedule ?? [];
  if (schedule.length > MAX_SCHEDULE) problems.push({ path: "retry_schedule", message: `at most ${MAX_SCHEDULE} attempts` });
  schedule.forEach((seconds, i) => {
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_DELAY_SECONDS)
      problems.push({ path: `retry_schedule[${i}]`, message: "must be whole seconds from 0 to 7 days" });
  });
  if (input.timeoutMs !== undefined && (!Number.isInteger(input.timeoutMs) || input.timeoutMs < 1000 || input.timeoutMs > 60_000)) {
    problems.push({ path: "timeout_ms", message: "must be from 1000 to 60000 milliseconds" });
  }
  const wait = input.orderingWaitSeconds;
  if (wait !== undefined && (!Number.isInteger(wait) || wait < 0 || wait > MAX_ORDERING_WAIT_SECONDS)) {
    problems.push({ path: "ordering_wait_seconds", message: `must be whole seconds from 0 to ${MAX_ORDERING_WAIT_SECONDS.toLocaleString("en-US")}` });
  }
  return problems;
}

/** Creates an endpoint; the secret is in the answer and nowhere else in clear. */
export async function createEndpoint(
  db: Db,
  scope: { organizationId: string; environment: EnvironmentKind },
  input: EndpointInput,
): Promise<{ id: string; secret: string }> {
  const problems = validateEndpoint(input);
  if (problems.length) throw new InvalidEndpointError(problems);
  const id = newId("whk");
  const secret = newWebhookSecret();
  await db.webhookEndpoint.create({
    data: {
      id,
      organizationId: scope.organizationId,
      environment: scope.environment,
      url: input.url,
      description: input.description ?? null,
      eventTypes: input.eventTypes ?? [],
      objects: input.objects ?? [],
      retrySchedule: input.retrySchedule ?? [],
      timeoutMs: input.timeoutMs ?? 15_000,
      orderingWaitSeconds: input.orderingWaitSeconds ?? DEFAULT_ORDERING_WAIT_SECONDS,
      secretEncrypted: encryptSecret(secret),
    },
  });
  return { id, secret };
}

/** A new secret; the previous one keeps signing for `graceMs` so receivers can switch without a gap. */
export async function rotateSecret(
  db: Db,
  endpointId: string,
  options: { graceMs?: number; now?: Date } = {},
): Promise<{ secret: string; previousExpiresAt: Date }> {
  const endpoint = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } });
  const secret = newWebhookSecret();
  const previousExpiresAt = new Date((options.now ?? new Date()).getTime() + (options.graceMs ?? ROTATION_GRACE_MS));
  await db.webhookEndpoint.update({
    where: { id: endpointId },
    data: { secretEncrypted: encryptSecret(secret), previousSecretEncrypted: endpoint.secretEncrypted, previousSecretExpiresAt: previousExpiresAt },
  });
  return { secret, previousExpiresAt };
}
