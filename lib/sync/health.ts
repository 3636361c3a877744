// The connection health state machine (DESIGN.md section 2). Every transition is written together
// with its event, in the caller's transaction:
//   HEALTHY ──transient failure outlasting a run's retries──▶ UNHEALTHY   (CONNECTION_ERROR)
//   UNHEALTHY ──next successful run──▶ HEALTHY                           (CONNECTION_UPDATED)
//   any ──credentials revoked / app uninstalled──▶ NEEDS_UPDATE          (CONNECTION_NEEDS_UPDATE, link_url)
//   NEEDS_UPDATE ──re-linked──▶ HEALTHY                                  (CONNECTION_UPDATED)
//   any ──account closed, subscription ended, N failed runs, by user──▶ DISABLED (CONNECTION_DISABLED, disabled_reason)
//   DISABLED ──re-enabled──▶ HEALTHY                                     (CONNECTION_UPDATED)
import { deriveKey, hmacSha256, safeEqual } from "@/lib/crypto";
import type { Db } from "@/lib/db/client";
import { emitEvent } from "@/lib/events/emit";
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

const EVENT: Record<ConnectionHealth, string> = {
  HEALTHY: "CONNECTION_UPDATED",
  UNHEALTHY: "CONNECTION_ERROR",
  NEEDS_UPDATE: "CONNECTION_NEEDS_UPDATE",
  DISABLED: "CONNECTION_DISABLED",
};

/** Applies a transition (no-op when the connection is already in that state) and writes its event. */
export async function changeHealth(tx: Tx, connection: HealthSubject, change: HealthChange): Promise<boolean> {
  if (connection.health === change.to) return false;
  await tx.connection.update({
    where: { id: connection.id },
    data: {
      health: change.to,
      disabledReason: change.to === "DISABLED" ? change.reason : null,
      healthDetail: change.detail ?? null,
      ...(change.to === "HEALTHY" ? { consecutiveFailures: 0 } : {}),
    },
  });
  const data: Record<string, unknown> = { connection_id: connection.id, platform: connection.platform, health: change.to, previous_health: connection.health, detail: change.detail ?? null };
  if (change.to === "UNHEALTHY") data.error = change.error;
  if (change.to === "NEEDS_UPDATE") data.link_url = change.linkUrl;
  if (change.to === "DISABLED") data.disabled_reason = change.reason;
  await emitEvent(tx, { organizationId: connection.organizationId, environment: connection.environment, connectionId: connection.id, type: EVENT[change.to], data });
  connection.health = change.to;
  return true;
}

/**
 * Where the end user re-links a connection that needs an update: a hosted Link page that works on
 * its own, signed so only Tributary can make one. Opening it starts a 30-minute re-link session;
 * it can only put new credentials for the same account on this connection, so it is safe to email.
 */
export function relinkUrl(appUrl: string, connectionId: string): string {
  return `${appUrl.replace(/\/$/, "")}/link?relink=${encodeURIComponent(relinkCapability(connectionId))}`;
}

export function relinkCapability(connectionId: string): string {
  return `${connectionId}.${hmacSha256(deriveKey("relink"), connectionId).toString("base64url").slice(0, 32)}`;
}

/** The connection a re-link capability names, or null when it was not made by this installation. */
export function verifyRelinkCapability(capability: string): string | null {
  const connectionId = capability.slice(0, capability.lastIndexOf("."));
  return connectionId && safeEqual(relinkCapability(connectionId), capability) ? connectionId : null;
}
