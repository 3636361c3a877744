// "Retry now": a delivery waiting for its next attempt becomes due at once, so the dispatcher (or the
// embedded worker) sends it on its next pass instead of at the end of the backoff. Unlike a resend it
// only moves the clock: a delivered or finally failed delivery is refused (resend is for those), and a
// delivery being attempted (by a worker's claim or an Inngest chain awake) is left to it, so two
// attempts never race. An Inngest chain sleeping until the next attempt only waits: its hold is taken
// over (due.ts), the chain ends when it wakes, and the dispatcher starts a fresh one on its next tick.
import type { Db } from "@/lib/db/client";
import { SLEEPING_HOLD } from "./due";

export interface RetryNowScope {
  organizationId: string;
  environment: "sandbox" | "production";
  endpointId: string;
}

export type RetryNowResult =
  | { ok: true; nextAttemptAt: Date }
  | { ok: false; code: "DELIVERY_NOT_FOUND"; message: string }
  | { ok: false; code: "DELIVERY_NOT_PENDING"; status: string; message: string }
  | { ok: false; code: "DELIVERY_IN_FLIGHT"; leaseExpiresAt: Date; message: string };

/**
 * One statement: the delivery is read and, when it is pending and not held, made due, so the answer
 * says why nothing changed without a second read that could disagree with the update.
 */
export async function retryNow(db: Db, scope: RetryNowScope, deliveryId: string, now = new Date()): Promise<RetryNowResult> {
  const rows = await db.$queryRaw<{ status: string; leaseExpiresAt: Date | null; retried: boolean }[]>`
    with target as (
      select id, status, lease_owner, lease_expires_at from deliveries
      where id = ${deliveryId} and organization_id = ${scope.organizationId}
        and environment = ${scope.environment}::"EnvironmentKind" and endpoint_id = ${scope.endpointId}
      for update
    ), retried as (
      update deliveries d set next_attempt_at = ${now}, updated_at = ${now},
             lease_owner = case when t.lease_expires_at > ${now} then null else d.lease_owner end,
             lease_expires_at = case when t.lease_expires_at > ${now} then null else d.lease_expires_at end
      from target t
      where d.id = t.id and t.status = 'pending'
        and (t.lease_expires_at is null or t.lease_expires_at <= ${now} or starts_with(t.lease_owner, ${SLEEPING_HOLD}))
      returning d.id
    )
    select t.status::text as status, t.lease_expires_at as "leaseExpiresAt", exists (select 1 from retried) as retried from target t`;
  const row = rows[0];
  if (!row) return { ok: false, code: "DELIVERY_NOT_FOUND", message: "No such delivery for this endpoint." };
  if (row.retried) return { ok: true, nextAttemptAt: now };
  if (row.status !== "pending") {
    const why = row.status === "succeeded" ? "it was delivered" : row.status === "failed" ? "it failed after its last attempt" : `it is ${row.status}`;
    return {
      ok: false,
      code: "DELIVERY_NOT_PENDING",
      status: row.status,
      message: `Only a delivery waiting for its next attempt can be retried now: ${why}. Resend it instead.`,
    };
  }
  const until = row.leaseExpiresAt ?? now;
  return {
    ok: false,
    code: "DELIVERY_IN_FLIGHT",
    leaseExpiresAt: until,
    message: `An attempt at this delivery is under way (held until ${until.toISOString().slice(11, 19)} UTC): its answer appears here when it ends.`,
  };
}
