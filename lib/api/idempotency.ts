// `Idempotency-Key` on POSTs and PATCHes (Stripe's semantics). A request that carries a key first claims it for its
// organization and environment with one insert; only the request that claimed it runs the handler,
// and its answer (status and JSON body) is stored with the key. A retry with the same key and the
// same request (method, path and body) gets that answer back with `Idempotent-Replayed: true`
// instead of running the handler again; the same key with another request is refused (409
// IDEMPOTENCY_KEY_REUSED), and so is a retry while the first is still running (409
// IDEMPOTENCY_KEY_IN_USE).
//
// Like Stripe, only answers of a handler that ran are kept: a request refused before (401, 429, a
// bad body) stores nothing, and neither does a 5xx, so a retry after a failure on our side runs
// again. Keys last 24 hours and are swept lazily by the requests that claim new ones.
//
// Secrets are shown once. An operation that answers one (a webhook signing secret, an access token, a
// link token) declares the fields (`secretFields`); they are set to null in the answer before it is
// stored, so the table never holds them, and a replay answers them as null with
// `Idempotent-Withheld` naming them. A client that lost the first answer gets a new secret the
// operation's own way (rotate the secret, issue a new access token, create another session).
import { createHash } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";
import { ApiError, errorResponse, invalid } from "./errors";
import { canonicalJson } from "@/lib/sync/hash";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
export const REPLAYED_HEADER = "Idempotent-Replayed";
/** On a replay: the secret fields the stored answer holds as null (comma-separated). */
export const WITHHELD_HEADER = "Idempotent-Withheld";
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 3600 * 1000;
/**
 * A claim still in flight after this long belongs to a process that died mid-request: a retry with
 * the same request may take it over rather than being refused for the rest of the day. API handlers
 * answer in well under a second; five minutes leaves room for a slow database without letting a
 * live request be run twice.
 */
export const ABANDONED_AFTER_MS = 5 * 60_000;
/** Expired keys are swept at most this often per process. */
const SWEEP_EVERY_MS = 60_000;

export interface IdempotencyScope {
  organizationId: string;
  environment: EnvironmentKind;
}

export type IdempotencyClaim = { outcome: "claimed" } | { outcome: "replay"; status: number; body: string } | { outcome: "reused" } | { outcome: "in_use" };

/** The request's `Idempotency-Key`, null when absent; 400 naming the header when it is not 1-255 printable characters. */
export function readIdempotencyKey(request: Request): string | null {
  const key = request.headers.get(IDEMPOTENCY_HEADER);
  if (key === null) return null;
  if (!/^[\x20-\x7e]{1,255}$/.test(key)) throw invalid(IDEMPOTENCY_HEADER, "must be 1 to 255 printable ASCII characters, e.g. a UUID");
  return key;
}

/** What makes two requests "the same": method, path with query, and the body as JSON with sorted keys (so spacing and key order do not matter). */
export function requestFingerprint(method: string, url: URL, bodyText: string): string {
  let body = bodyText;
  try {
    body = bodyText ? canonicalJson(JSON.parse(bodyText)) : "";
  } catch {
    // Not JSON: the handler refuses it before any key is claimed; fingerprint the bytes anyway.
  }
  return createHash("sha256").update(`${method.toUpperCase()}\n${url.pathname}${url.search}\n${body}`).digest("hex");
}

/**
 * Claims `key` for a request with `fingerprint`, or says why not. One statement decides, so of two
 * concurrent requests with the same key exactly one gets `claimed`: the insert takes a fresh key, and
 * its `on conflict … where` takes over only an expired key or an abandoned claim of the same request.
 */
export async function claimIdempotencyKey(db: Db, scope: IdempotencyScope, key: string, fingerprint: string, now: number): Promise<IdempotencyClaim> {
  const createdAt = new Date(now);
  const expiresAt = new Date(now + IDEMPOTENCY_KEY_TTL_MS);
  const abandonedBefore = new Date(now - ABANDONED_AFTER_MS);
  // A row seen taken that is gone a moment later was released (a 5xx) or swept: claim again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const claimed = await db.$queryRaw<{ claimed: number }[]>(Prisma.sql`
      insert into api_idempotency_keys as k (organization_id, environment, key, fingerprint, created_at, expires_at)
      values (${scope.organizationId}, ${scope.environment}::"EnvironmentKind", ${key}, ${fingerprint}, ${createdAt}, ${expiresAt})
      on conflict (organization_id, environment, key) do update
        set fingerprint = excluded.fingerprint, response_status = null, response_body = null, created_at = excluded.created_at, expires_at = excluded.expires_at
        where k.expires_at <= excluded.created_at
           or (k.response_status is null and k.fingerprint = excluded.fingerprint and k.created_at <= ${abandonedBefore})
      returning 1 as claimed`);
    if (claimed.length) {
      await sweepExpiredKeys(db, now);
      return { outcome: "claimed" };
    }
    const existing = await db.apiIdempotencyKey.findUnique({
      where: { organizationId_environment_key: { organizationId: scope.organizationId, environment: scope.environment, key } },
      select: { fingerprint: true, responseStatus: true, responseBody: true },
    });
    if (!existing) continue;
    if (existing.fingerprint !== fingerprint) return { outcome: "reused" };
    if (existing.responseStatus === null || existing.responseBody === null) return { outcome: "in_use" };
    return { outcome: "replay", status: existing.responseStatus, body: existing.responseBody };
  }
  return { outcome: "in_use" };
}

/** Stores the claimed request's answer for retries to replay. */
// Both match the claim's time too: once a claim was taken over as abandoned, the original request,
// should it answer after all, no longer writes to it.
export async function completeIdempotencyKey(
  db: Db,
  scope: IdempotencyScope,
  key: string,
  claimedAt: number,
  response: { status: number; body: string },
): Promise<void> {
  await db.apiIdempotencyKey.updateMany({
    where: { organizationId: scope.organizationId, environment: scope.environment, key, createdAt: new Date(claimedAt), responseStatus: null },
    data: { responseStatus: response.status, responseBody: response.body },
  });
}

/** Gives the key back (the handler failed on our side): a retry runs the request again. */
export async function releaseIdempotencyKey(db: Db, scope: IdempotencyScope, key: string, claimedAt: number): Promise<void> {
  await db.apiIdempotencyKey.deleteMany({
    where: { organizationId: scope.organizationId, environment: scope.environment, key, createdAt: new Date(claimedAt), responseStatus: null },
  });
}

/**
 * Runs `run` at most once per key and request: the answer of the run that claimed the key, or that
 * answer replayed, or 409. Errors the handler throws become their API answer here, so a 404 or 409
 * is kept like a success; a 5xx gives the key back.
 */
export async function runIdempotently(
  db: Db,
  scope: IdempotencyScope,
  request: { key: string; fingerprint: string; now: number; secretFields?: readonly string[] },
  run: () => Promise<Response>,
): Promise<Response> {
  const secretFields = request.secretFields ?? [];
  const claim = await claimIdempotencyKey(db, scope, request.key, request.fingerprint, request.now);
  if (claim.outcome === "reused") throw keyReused();
  if (claim.outcome === "in_use") throw keyInUse();
  if (claim.outcome === "replay") {
    const headers: Record<string, string> = { "content-type": "application/json", [REPLAYED_HEADER]: "true" };
    const withheld = withheldFields(claim.body, secretFields);
    if (withheld.length) headers[WITHHELD_HEADER] = withheld.join(", ");
    return new Response(claim.body, { status: claim.status, headers });
  }
  let response: Response;
  try {
    response = await run();
  } catch (error) {
    response = errorResponse(error);
  }
  try {
    const stored = response.status >= 500 ? null : withoutSecrets(await response.clone().text(), secretFields);
    if (stored === null) await releaseIdempotencyKey(db, scope, request.key, request.now);
    else await completeIdempotencyKey(db, scope, request.key, request.now, { status: response.status, body: stored });
  } catch (error) {
    // The request itself succeeded: answer it. Its key stays in flight until it counts as abandoned.
    console.error(error);
  }
  return response;
}

/**
 * The answer as it may be stored: each secret field present set to null. Null when it cannot be made
 * safe (an answer that is not a JSON object, which no operation with secrets gives): then nothing is
 * stored, as for a 5xx, and a retry runs the request again.
 */
export function withoutSecrets(body: string, secretFields: readonly string[]): string | null {
  if (!secretFields.length) return body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return null;
  const answer = parsed as Record<string, unknown>;
  if (!secretFields.some((field) => field in answer)) return body;
  for (const field of secretFields) if (field in answer) answer[field] = null;
  return JSON.stringify(answer);
}

/** The secret fields a stored answer holds (as null): what a replay names in Idempotent-Withheld. */
function withheldFields(body: string, secretFields: readonly string[]): string[] {
  if (!secretFields.length) return [];
  try {
    const answer = JSON.parse(body) as unknown;
    return answer && typeof answer === "object" ? secretFields.filter((field) => field in answer) : [];
  } catch {
    return [];
  }
}

let lastSweep = Number.NEGATIVE_INFINITY;

/** Deletes expired keys, at most once a minute per process (an index on expires_at keeps it to the expired rows). */
async function sweepExpiredKeys(db: Db, now: number): Promise<void> {
  if (Math.abs(now - lastSweep) < SWEEP_EVERY_MS) return;
  lastSweep = now;
  await db.apiIdempotencyKey.deleteMany({ where: { expiresAt: { lte: new Date(now) } } });
}

export const keyReused = () =>
  new ApiError(
    "IDEMPOTENCY_KEY_REUSED",
    `This ${IDEMPOTENCY_HEADER} was used with a different request (method, path or body): use a new key for a new request`,
  );
export const keyInUse = () =>
  new ApiError("IDEMPOTENCY_KEY_IN_USE", `A request with this ${IDEMPOTENCY_HEADER} is still being processed: retry once it has answered`);
