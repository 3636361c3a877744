// Reads for the API keys page. The secret hash is never selected: only the hint people tell keys apart by.
import type { TenantDb } from "@/lib/db/tenant";

export async function getApiKeys(db: TenantDb) {
  return db.apiKey.findMany({
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: { id: true, name: true, clientId: true, secretHint: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

export type ApiKeyRow = Awaited<ReturnType<typeof getApiKeys>>[number];
