// Creating a connection and the lifecycle actions a team (or the Link flow) takes on one: re-link
// with new credentials, disable, re-enable, delete. Each writes its event in the same transaction.
import { hashToken, randomToken } from "@/lib/crypto";
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { emitEvent } from "@/lib/events/emit";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";
import { getPlatform } from "@/lib/platforms/catalog";
import type { Credentials } from "@/lib/platforms/types";
import { sealCredentials } from "./credentials";
import { changeHealth } from "./health";
import { loadEffectiveConfiguration } from "./load-configuration";
import { cancelRunsSql } from "./sql/count-ended-runs";
import { SYNC_RUN } from "@/lib/lifecycles";

export interface NewConnection {
  organizationId: string;
  environment: EnvironmentKind;
  platform: string;
  platformAccountId: string;
  accountName?: string | null;
  endUserId?: string | null;
  credentials: Credentials;
}

/** Creates a connection ready for its initial sync; the access token is returned here and never again. */
export async function createConnection(db: Db, input: NewConnection): Promise<{ id: string; accessToken: string }> {
  if (!getPlatform(input.platform)) throw new Error(`Unknown platform "${input.platform}"`);
  const id = newId("conn");
  const accessToken = randomToken("access");
  await db.$transaction(async (tx) => {
    await tx.connection.create({
      data: {
        id,
        organizationId: input.organizationId,
        environment: input.environment,
        platform: input.platform,
        platformAccountId: input.platformAccountId,
        accountName: input.accountName ?? input.platformAccountId,
        endUserId: input.endUserId ?? null,
        credentialsEncrypted: sealCredentials(input.credentials),
        accessTokenHash: hashToken(accessToken),
      },
    });
    await emitEvent(tx, {
      organizationId: input.organizationId,
      environment: input.environment,
      connectionId: id,
      type: "CONNECTION_CREATED",
      data: { connection_id: id, platform: input.platform, platform_account_id: input.platformAccountId, end_user_id: input.endUserId ?? null },
    });
  });
  // The batch count is known now, so progress reads "0 of N" from the start.
  const configuration = await loadEffectiveConfiguration(db, { id, ...input });
  await db.connection.update({ where: { id }, data: { batchesTotal: configuration.batches.length } });
  return { id, accessToken };
}

type Locked = {
  id: string;
  organizationId: string;
  environment: EnvironmentKind;
  platform: string;
  health: "HEALTHY" | "UNHEALTHY" | "NEEDS_UPDATE" | "DISABLED";
  createdAt: Date;
};

/** The connection was deleted: nothing more is done to it. */
export class ConnectionDeletedError extends Error {
  constructor(readonly connectionId: string) {
    super(`Connection ${connectionId} was deleted`);
    this.name = "ConnectionDeletedError";
  }
}

async function locked(
  db: Db,
  connectionId: string,
  action: (tx: Parameters<Parameters<Db["$transaction"]>[0]>[0], connection: Locked) => Promise<void>,
): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`select 1 from connections where id = ${connectionId} for update`;
    const connection = await tx.connection.findUniqueOrThrow({
      where: { id: connectionId },
      select: { id: true, organizationId: true, environment: true, platform: true, health: true, createdAt: true, deletedAt: true },
    });
    if (connection.deletedAt) throw new ConnectionDeletedError(connectionId);
    await action(tx, connection);
  });
}

/**
 * Re-linking (Link flow with connection_id): new credentials for the same connection, keeping its id,
 * access token and data. A connection that needed an update, or was disabled because its credentials
 * were revoked, becomes healthy and syncs again at once. Its re-link URLs made before stop working
 * (the generation in their MAC moves on).
 */
export async function relinkConnection(db: Db, connectionId: string, credentials: Credentials): Promise<void> {
  await locked(db, connectionId, async (tx, connection) => {
    await tx.connection.update({
      where: { id: connectionId },
      data: { credentialsEncrypted: sealCredentials(credentials), nextSyncAt: new Date(), consecutiveFailures: 0, relinkGeneration: { increment: 1 } },
    });
    await changeHealth(tx, connection, { to: "HEALTHY", detail: "Re-linked" });
  });
}

/**
 * A new access token for a connection, returned here and never again (stored hashed); the previous one
 * stops working at once. It recovers a connection whose public token expired before it was exchanged
 * (the connection syncs from the end of Link on, with a token nobody was ever shown), and replaces a
 * token that leaked. The public token of the Link session that created the connection, if not yet
 * exchanged, is spent too: exchanging it later would replace this token. CONNECTION_UPDATED says so.
 */
export async function issueAccessToken(db: Db, connectionId: string): Promise<string> {
  const accessToken = randomToken("access");
  await locked(db, connectionId, async (tx, connection) => {
    const now = new Date();
    await tx.connection.update({ where: { id: connectionId }, data: { accessTokenHash: hashToken(accessToken) } });
    // The session that created the connection is the one older than it (as the exchange tells a re-link apart).
    await tx.linkSession.updateMany({
      where: { connectionId, publicTokenHash: { not: null }, publicTokenUsedAt: null, createdAt: { lte: connection.createdAt } },
      data: { publicTokenUsedAt: now },
    });
    await emitEvent(tx, {
      organizationId: connection.organizationId,
      environment: connection.environment,
      connectionId,
      type: "CONNECTION_UPDATED",
      data: {
        connection_id: connectionId,
        platform: connection.platform,
        reason: "access_token_issued",
        health: connection.health,
        previous_health: connection.health,
        detail: "A new access token was issued; the previous one no longer works",
      },
    });
  });
  return accessToken;
}

export async function disableConnection(db: Db, connectionId: string): Promise<void> {
  await locked(db, connectionId, async (tx, connection) => {
    await changeHealth(tx, connection, { to: "DISABLED", reason: "disabled_by_user", detail: "Disabled by a member of the team" });
    // Last: it may lock the organization's hourly run counts (lib/sync/sql/count-ended-runs.ts).
    await tx.$executeRaw(cancelRunsSql({ connectionId, statuses: ["queued", "rate_limited"] }, new Date()));
  });
}

export async function enableConnection(db: Db, connectionId: string): Promise<void> {
  await locked(db, connectionId, async (tx, connection) => {
    if (connection.health !== "DISABLED") return;
    await tx.connection.update({ where: { id: connectionId }, data: { nextSyncAt: new Date(), consecutiveFailures: 0 } });
    await changeHealth(tx, connection, { to: "HEALTHY", detail: "Re-enabled" });
  });
}

/**
 * Deletes a connection, at once whatever its size: syncing stops, its runs are cancelled, its
 * credentials go, and the API and dashboard stop serving its data. Its records, runs and data events
 * are removed in the background, in small statements (lib/retention/purge.ts); the row stays
 * (deleted_at) for the event log.
 */
export async function deleteConnection(db: Db, connectionId: string): Promise<void> {
  await locked(db, connectionId, async (tx, connection) => {
    await tx.connection.update({
      where: { id: connectionId },
      data: { deletedAt: new Date(), credentialsEncrypted: null, platformWebhookSecretEncrypted: null, nextSyncAt: null },
    });
    await emitEvent(tx, {
      organizationId: connection.organizationId,
      environment: connection.environment,
      connectionId,
      type: "CONNECTION_DELETED",
      data: { connection_id: connectionId, platform: connection.platform },
    });
    // Last: it may lock the organization's hourly run counts (lib/sync/sql/count-ended-runs.ts).
    await tx.$executeRaw(cancelRunsSql({ connectionId, statuses: [...SYNC_RUN.active] }, new Date()));
  });
}
