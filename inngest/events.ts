// Tributary's Inngest events, typed and validated at runtime (zod schemas through eventType).
import { eventType } from "inngest";
import { z } from "zod";

/** Sync whatever is due for one connection (sent by the scheduler for every connection with work due: its schedule, "sync now", a queued backfill, a platform webhook; and by a run that continues in a new one). */
export const connectionSyncRequested = eventType("tributary/connection.sync.requested", {
  schema: z.object({ connection_id: z.string().startsWith("conn_"), platform: z.string().min(1) }),
});

/** Deliver one webhook delivery, attempt after attempt, until it succeeds, fails or its endpoint is disabled. */
export const webhookDeliveryRequested = eventType("tributary/webhook.delivery.requested", {
  schema: z.object({ delivery_id: z.string().startsWith("dlv_"), endpoint_id: z.string().startsWith("whk_") }),
});

/** Drive one sync job run (sent by the sync job scheduler for new runs and ones whose function seems gone). */
export const syncJobRunRequested = eventType("tributary/sync-job-run.requested", {
  schema: z.object({ run_id: z.string().startsWith("jrun_") }),
});

/** Run one asynchronous write (sent by the write scheduler for due writes). */
export const writeRequested = eventType("tributary/write.requested", {
  schema: z.object({ write_id: z.string().startsWith("wrt_") }),
});
