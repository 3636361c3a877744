// Reads for the Webhooks page: endpoints (never their secrets) and the latest deliveries.
import type { TenantDb } from "@/lib/db/tenant";

const LATEST_DELIVERIES = 20;

export async function getWebhooks(db: TenantDb) {
  const [endpoints, deliveries] = await Promise.all([
    db.webhookEndpoint.findMany({
      orderBy: { createdAt: "desc" },
      select: {
        id: true,
        url: true,
        description: true,
        eventTypes: true,
        objects: true,
        enabled: true,
        disabledReason: true,
        disabledAt: true,
        failingSince: true,
        createdAt: true,
      },
    }),
    db.delivery.findMany({
      orderBy: { createdAt: "desc" },
      take: LATEST_DELIVERIES,
      select: {
        id: true,
        status: true,
        attemptCount: true,
        lastAttemptAt: true,
        nextAttemptAt: true,
        createdAt: true,
        event: { select: { id: true, type: true } },
        endpoint: { select: { id: true, url: true } },
      },
    }),
  ]);
  return { endpoints, deliveries };
}

export type WebhooksView = Awaited<ReturnType<typeof getWebhooks>>;
