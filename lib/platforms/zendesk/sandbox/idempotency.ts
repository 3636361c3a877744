// Idempotent ticket creation, as the Ticketing API introduction documents it ("Idempotency",
// https://developer.zendesk.com/api-reference/ticketing/introduction/#idempotency, 2024–2025): a Create
// Ticket request may carry `Idempotency-Key: {unique_key}`; the first answer carries
// `x-idempotency-lookup: miss`, a retry with the same key and the same parameters gets the same answer
// with `x-idempotency-lookup: hit` and creates nothing, and the same key with other parameters is
// refused with 400 {"error":"IdempotentRequestError","description":"Request parameters don't match
// the given idempotency key"} (the body Zendesk's Java client, cloudbees-oss/zendesk-java-client,
// tests its IdempotentRequestError handling against). Keys last two hours.
//
// Keys are kept per account in memory, beside the Dataset: they live two hours, so a sandbox restart
// forgetting them is a key expiring early. Only created tickets are remembered: a refused request
// (422) leaves the key free, so a corrected retry with the same key creates the ticket.
import type { Dataset } from "@/lib/sandbox/dataset";
import type { SandboxResponse } from "@/lib/sandbox/http";
import { canonicalJson } from "@/lib/sync/hash";
import { zendeskError } from "./wire";

export const IDEMPOTENCY_KEY_HEADER = "idempotency-key";
export const IDEMPOTENCY_LOOKUP_HEADER = "x-idempotency-lookup";
export const IDEMPOTENCY_KEY_TTL_MS = 2 * 3600 * 1000;

interface Remembered {
  /** The request's parameters as canonical JSON: key order and spacing do not make two requests differ. */
  parameters: string;
  response: SandboxResponse;
  expiresAt: number;
}

export type IdempotencyLookup = { outcome: "miss" } | { outcome: "hit"; response: SandboxResponse } | { outcome: "conflict"; response: SandboxResponse };

const keysByAccount = new WeakMap<Dataset, Map<string, Remembered>>();

function keysOf(dataset: Dataset): Map<string, Remembered> {
  let keys = keysByAccount.get(dataset);
  if (!keys) {
    keys = new Map();
    keysByAccount.set(dataset, keys);
  }
  return keys;
}

/** The request's key, or null when it carries none (an empty header counts as none). */
export function idempotencyKeyOf(headers: Record<string, string | undefined>): string | null {
  const key = headers[IDEMPOTENCY_KEY_HEADER];
  return key === undefined || key === "" ? null : key;
}

export function lookUpIdempotencyKey(dataset: Dataset, key: string, body: unknown, now: number): IdempotencyLookup {
  const remembered = keysOf(dataset).get(key);
  if (!remembered || remembered.expiresAt <= now) return { outcome: "miss" };
  if (remembered.parameters !== canonicalJson(body)) {
    return { outcome: "conflict", response: zendeskError(400, "IdempotentRequestError", "Request parameters don't match the given idempotency key") };
  }
  return { outcome: "hit", response: withIdempotencyLookup(remembered.response, "hit") };
}

/** Keeps a created ticket's answer under its key; expired keys are swept here, so the map holds at most two hours of keys. */
export function rememberIdempotencyKey(dataset: Dataset, key: string, body: unknown, response: SandboxResponse, now: number): SandboxResponse {
  const keys = keysOf(dataset);
  for (const [old, entry] of keys) if (entry.expiresAt <= now) keys.delete(old);
  keys.set(key, { parameters: canonicalJson(body), response, expiresAt: now + IDEMPOTENCY_KEY_TTL_MS });
  return withIdempotencyLookup(response, "miss");
}

/** The answer with the lookup's outcome in `x-idempotency-lookup`. */
export function withIdempotencyLookup(response: SandboxResponse, lookup: "hit" | "miss"): SandboxResponse {
  return { ...response, headers: { ...response.headers, [IDEMPOTENCY_LOOKUP_HEADER]: lookup } };
}
