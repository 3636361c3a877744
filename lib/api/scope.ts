// The connection a request names, within the API key's organization and environment; 404 otherwise.
import type { Connection } from "@/lib/generated/prisma/client";
import type { SyncEngine } from "@/lib/sync/engine";
import { notFound } from "./errors";
import type { ApiScope } from "./keys";

export async function scopedConnection(engine: SyncEngine, scope: ApiScope, id: string): Promise<Connection> {
  const connection = await engine.db.connection.findFirst({
    where: { id, organizationId: scope.organizationId, environment: scope.environment, deletedAt: null },
  });
  // Another organization's connection answers exactly like a missing one.
  if (!connection) throw notFound("such connection");
  return connection;
}
