// A worker in its own process, for the test that kills one mid-run. Configured by environment.
import { createDb } from "@/lib/db/client";
import { createSyncEngine } from "@/lib/sync/engine";
import { RequestLimiter } from "@/lib/sync/limiter";
import { startWorker } from "./worker";

const { DATABASE_URL, SANDBOX_URL, CLOCK_OFFSET_MS, LEASE_MS, DELIVERY_LEASE_MS, WORKER_OWNER } = process.env;
if (!DATABASE_URL || !SANDBOX_URL) throw new Error("DATABASE_URL and SANDBOX_URL are required");
const offset = Number(CLOCK_OFFSET_MS ?? 0);
const db = createDb(DATABASE_URL, { max: 3 });
const engine = createSyncEngine({ db, sandboxUrl: SANDBOX_URL, clock: () => Date.now() + offset, limiter: new RequestLimiter({ scale: 1000 }) });
startWorker(engine, {
  owner: WORKER_OWNER,
  leaseMs: Number(LEASE_MS ?? 3000),
  deliveryLeaseMs: Number(DELIVERY_LEASE_MS ?? 120_000),
  pollMs: 100,
  concurrency: 2,
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write("worker started\n");
