// The connection health state machine (DESIGN.md section 2; its moves are CONNECTION_HEALTH in
// lib/lifecycles.ts). Every transition is written together with its event, in the caller's transaction:
//   HEALTHY ──transient failure outlasting a run's retries──▶ UNHEALTHY   (CONNECTION_ERROR)
//   UNHEALTHY ──next successful run──▶ HEALTHY                           (CONNECTION_UPDATED)
//   any ──credentials revoked / app uninstalled──▶ NEEDS_UPDATE          (CONNECTION_NEEDS_UPDATE, link_url)
//   NEEDS_UPDATE ──re-linked──▶ HEALTHY                                  (CONNECTION_UPDATED)
//   any ──account closed, subscription ended, N failed runs, by user──▶ DISABLED (CONNECTION_DISABLED, disabled_reason)
//   DISABLED ──re-enabled──▶ HEALTHY                                     (CONNECTION_UPDATED)
import { deriveKey, hmacSha256, safeEqual } from "@/lib/crypto";
import type { Db } from "@/lib/db/client";
import { emitEvent } from "@/lib/events/emit";
import { CONNECTION_HEALTH } from "@/lib/lifecycles";
import type { ConnectionHealth, DisabledReason, EnvironmentKind } from "@/lib/generated/prisma/enums";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export interface HealthSubject {
  id: string;
  organizationId: string;
  environment: EnvironmentKind;
  platform: string;
  health: ConnectionHealth;
}

export type HealthChange =
  | { to: "HEALTHY"; detail?: string }
  | { to: "UNHEALTHY"; detail: string; error: string }
  | { to: "NEEDS_UPDATE"; detail: string; linkUrl: string }
  | { to: "DISABLED"; reason: DisabledReason; detail: string };

/**
 * Applies a transition and writes its event; false when there was nothing to do (already in that
 * state, or moved meanwhile by someone else, whose move stands). A move the lifecycle does not allow
 * (lib/lifecycles.ts CONNECTION_HEALTH) throws IllegalTransitionError.
 */
export async function changeHealth(tx: Tx, connection: HealthSubject, change: HealthChange): Promise<boolean> {
  if (connection.health === change.to) return false;
  CONNECTION_HEALTH.assertMove(connection.health, change.to);
  const { count } = await tx.connection.updateMany({
    where: { id: connection.id, health: connection.health },
    data: {
      health: change.to,
      disabledReason: change.to === "DISABLED" ? change.reason : null,
      healthDetail: change.detail ?? null,
      ...(change.to === "HEALTHY" ? { consecutiveFailures: 0 } : {}),
    },
  });
  if (count === 0) return false;
  const data: Record<string, unknown> = {
    connection_id: connection.id,
    platform: connection.platform,
    health: change.to,
    previous_health: connection.health,
    detail: change.detail ?? null,
  };
  if (change.to === "UNHEALTHY") data.error = change.error;
  if (change.to === "NEEDS_UPDATE") data.link_url = change.linkUrl;
  if (change.to === "DISABLED") data.disabled_reason = change.reason;
  await emitEvent(tx, {
    organizationId: connection.organizationId,
    environment: connection.environment,
    connectionId: connection.id,
    type: CONNECTION_HEALTH.emits[change.to],
    data,
  });
  connection.health = change.to;
  return true;
}

/**
 * How long a re-link URL works. Teams email it to their customer, who may open it days later, so a
 * week rather than a link session's 30 minutes. The expiry is rounded up to the next UTC midnight: a
 * connection's status shows the same URL all day instead of a new one on every read.
 */
export const RELINK_URL_TTL_MS = 7 * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** What a re-link URL is made from: the connection and how many re-links it has completed. */
export interface RelinkSubject {
  id: string;
  relinkGeneration: number;
}

/** What a genuine re-link URL says; whether it still works is for its reader to decide (expiry, generation). */
export interface RelinkCapability {
  connectionId: string;
  expiresAt: Date;
  generation: number;
}

/**
 * Where the end user re-links a connection: a hosted Link page that works on its own, signed so only
 * Tributary can make one (the MAC key is derived from TRIBUTARY_SECRET_KEY). It names the connection,
 * its expiry and the connection's re-link generation: it stops working after RELINK_URL_TTL_MS, and
 * once a re-link has completed (relinkConnection increments the generation). It can only put new
 * credentials for the same account on this connection, so it is safe to email.
 */
export function relinkUrl(appUrl: string, connection: RelinkSubject, now: Date | number = Date.now()): string {
  return `${appUrl.replace(/\/$/, "")}/link?relink=${encodeURIComponent(relinkCapability(connection, now))}`;
}

export function relinkCapability(connection: RelinkSubject, now: Date | number = Date.now()): string {
  const expiresAt = Math.ceil((new Date(now).getTime() + RELINK_URL_TTL_MS) / DAY_MS) * DAY_MS;
  const signed = `${connection.id}.${expiresAt / 1000}.${connection.relinkGeneration}`;
  return `${signed}.${relinkMac(signed)}`;
}

function relinkMac(signed: string): string {
  return hmacSha256(deriveKey("relink"), signed).toString("base64url").slice(0, 32);
}

/** What a re-link capability says, or null when this installation did not make it (a forged or altered one). */
export function verifyRelinkCapability(capability: string): RelinkCapability | null {
  const match = /^([A-Za-z0-9_]{1,64})\.(\d{1,12})\.(\d{1,9})\.([A-Za-z0-9_-]{32})$/.exec(capability);
  if (!match) return null;
  const [, connectionId, expires, generation, mac] = match;
  if (!safeEqual(relinkMac(`${connectionId}.${expires}.${generation}`), mac)) return null;
  return { connectionId, expiresAt: new Date(Number(expires) * 1000), generation: Number(generation) };
}
