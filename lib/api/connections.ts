// Connections as the API shows them, with the status fields of Rutter's connection status: stage,
// health, readiness, needs-update and disabled details, historical-sync progress, schedule, re-link URL.
import type { Connection } from "@/lib/generated/prisma/client";
import { relinkUrl } from "@/lib/sync/health";

export function connectionView(connection: Connection, appUrl: string, recordCounts?: Record<string, number>) {
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
    last_sync_completed_at: connection.lastSyncCompletedAt?.toISOString() ?? null,
    next_sync_at: connection.nextSyncAt?.toISOString() ?? null,
    link_url: linkUrl,
    created_at: connection.createdAt.toISOString(),
  };
}
