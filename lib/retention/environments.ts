// Deleting an environment's data: a member's request answers at once (environments.
// delete_connections_requested_at), and the connections the environment had then are deleted in the
// background, a few at a time, each exactly as one connection's delete (lib/sync/connections.ts: its
// event, its runs cancelled, its data unreadable at once), after which the purge removes their data
// (lib/retention/purge.ts). Connections made after the request stay. Run before each purge claim by
// the embedded worker and in the Inngest `retention` function.
import type { Db } from "@/lib/db/client";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";
import { ConnectionDeletedError, deleteConnection } from "@/lib/sync/connections";

/** Asks for the environment's connections to be deleted; the number of them (those not deleted yet). */
export async function requestEnvironmentDeletion(db: Db, scope: { organizationId: string; environment: EnvironmentKind }, now = new Date()): Promise<number> {
  return db.$transaction(async (tx) => {
    // A request already waiting keeps its time: the connections it covers do not change.
    await tx.environment.updateMany({
      where: { organizationId: scope.organizationId, kind: scope.environment, deleteConnectionsRequestedAt: null },
      data: { deleteConnectionsRequestedAt: now },
    });
    return tx.connection.count({ where: { organizationId: scope.organizationId, environment: scope.environment, deletedAt: null } });
  });
}

/**
 * Deletes up to `limit` connections of environments whose deletion was asked for (those created
 * before the request), and clears the requests with none left. Returns how many it deleted.
 */
export async function deleteRequestedEnvironments(db: Db, limit = 50): Promise<number> {
  const requests = await db.environment.findMany({
    where: { deleteConnectionsRequestedAt: { not: null } },
    select: { id: true, organizationId: true, kind: true, deleteConnectionsRequestedAt: true },
  });
  let deleted = 0;
  for (const request of requests) {
    const scope = {
      organizationId: request.organizationId,
      environment: request.kind,
      deletedAt: null,
      createdAt: { lte: request.deleteConnectionsRequestedAt! },
    };
    const connections = await db.connection.findMany({ where: scope, select: { id: true }, orderBy: { createdAt: "asc" }, take: limit - deleted });
    for (const { id } of connections) {
      // One deleted meanwhile (by a member, or another process doing the same) is skipped.
      await deleteConnection(db, id).catch((error: unknown) => {
        if (!(error instanceof ConnectionDeletedError)) throw error;
      });
      deleted++;
    }
    if (!(await db.connection.count({ where: scope })))
      await db.environment.updateMany({
        where: { id: request.id, deleteConnectionsRequestedAt: request.deleteConnectionsRequestedAt },
        data: { deleteConnectionsRequestedAt: null },
      });
    if (deleted >= limit) break;
  }
  return deleted;
}
