// A cheap liveness check of the parts Tributary cannot work without.
import type { Db } from "@/lib/db/client";

export interface Health {
  database: "ok" | "unreachable";
  databaseLatencyMs: number | null;
  /** Sync runs waiting to start: a number that only grows means nothing is working the queue. */
  queuedRuns: number | null;
  checkedAt: string;
}

export async function checkHealth(db: Db, now: () => number = Date.now): Promise<Health> {
  const started = now();
  try {
    await db.$queryRaw`select 1`;
    const databaseLatencyMs = now() - started;
    const queuedRuns = await db.syncRun.count({ where: { status: { in: ["queued", "rate_limited"] } } });
    return { database: "ok", databaseLatencyMs, queuedRuns, checkedAt: new Date(started).toISOString() };
  } catch {
    return { database: "unreachable", databaseLatencyMs: null, queuedRuns: null, checkedAt: new Date(started).toISOString() };
  }
}
