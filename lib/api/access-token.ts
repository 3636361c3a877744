// A connection named by its access token, as data reads, writes and the proxy take it: only a live
// connection of the key's own organization and environment; any other answers 404 like a token that
// names nothing, so a token of another organization tells nothing.
import { hashToken } from "@/lib/crypto";
import type { Connection } from "@/lib/generated/prisma/client";
import type { SyncEngine } from "@/lib/sync/engine";
import { ApiError, notFound } from "./errors";
import type { ApiScope } from "./keys";

export async function connectionForToken(engine: SyncEngine, scope: ApiScope, token: string): Promise<Connection> {
  const connection = await engine.db.connection.findFirst({
    where: { accessTokenHash: hashToken(token), organizationId: scope.organizationId, environment: scope.environment, deletedAt: null },
  });
  if (!connection) throw notFound("connection for this access token");
  return connection;
}

/** A connection whose platform Tributary may call now: it has an account, and is neither disabled nor waiting to be re-linked. */
export function assertReachable(connection: Connection): asserts connection is Connection & { platformAccountId: string } {
  if (!connection.platformAccountId) throw notFound("connection for this access token");
  if (connection.health === "DISABLED") throw new ApiError("CONNECTION_NOT_SYNCING", "The connection is disabled: enable it to reach its platform");
  if (connection.health === "NEEDS_UPDATE")
    throw new ApiError("CONNECTION_NOT_SYNCING", "The platform refused the connection's credentials: the customer must re-link it (CONNECTION_NEEDS_UPDATE)");
}
