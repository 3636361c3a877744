// Connections as the API shows them, with the status fields of Rutter's connection status: stage,
// health, readiness, needs-update and disabled details, historical-sync progress, schedule, re-link URL,
// and whether syncing is paused by a rate limit or a spent daily allowance.
import type { Db } from "@/lib/db/client";
import type { Connection } from "@/lib/generated/prisma/client";
import { relinkUrl } from "@/lib/sync/health";
import { pauseOf, type PauseView } from "@/lib/sync/runner";

export interface ConnectionViewExtras {
  /** Live records per object (the status read). */
  recordCounts?: Record<string, number>;
  /** The connection's paused run, if one waits for a rate limit or its daily allowance (pauseOf). */
  pause?: PauseView | null;
}

export function connectionView(connection: Connection, appUrl: string, { recordCounts, pause }: ConnectionViewExtras = {}) {
  const linkUrl = relinkUrl(appUrl, connection);
  return {
    id: connection.id,
    platform: connection.platform,
    platform_account_id: connection.platformAccountId,
    account_name: connection.accountName,
    end_user_id: connection.endUserId,
    stage: connection.stage,
    health: connection.health,
    is_ready: connection.isReady,
    needs_update: connection.health === "NEEDS_UPDATE" ? { detail: connection.healthDetail, link_url: linkUrl } : null,
    disabled: connection.health === "DISABLED" ? { disabled_reason: connection.disabledReason, detail: connection.healthDetail } : null,
    historical_sync: {
      batches_completed: connection.batchesCompleted,
      batches_total: connection.batchesTotal,
      ...(recordCounts ? { records: recordCounts } : {}),
    },
    // Syncing waits for a rate limit: "daily" when the platform's daily allowance is spent (no request is
    // sent, and no new run starts, before resume_at).
    paused: pause ? { limit: pause.limit, message: pause.message, resume_at: pause.resumeAt.toISOString() } : null,
    last_sync_completed_at: connection.lastSyncCompletedAt?.toISOString() ?? null,
    next_sync_at: connection.nextSyncAt?.toISOString() ?? null,
    link_url: linkUrl,
    created_at: connection.createdAt.toISOString(),
  };
}

/** The paused run of each connection that has one (at most one run of a connection is active), by connection id. */
export async function pausesOf(db: Db, connectionIds: string[]): Promise<Map<string, PauseView>> {
  if (!connectionIds.length) return new Map();
  const runs = await db.syncRun.findMany({
    where: { connectionId: { in: connectionIds }, status: "rate_limited" },
    select: { connectionId: true, status: true, resumeAt: true, stats: true },
  });
  return new Map(
    runs.flatMap((run) => {
      const pause = pauseOf(run);
      return pause ? [[run.connectionId, pause] as const] : [];
    }),
  );
}
