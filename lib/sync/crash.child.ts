// The process the crash test kills: syncs one connection until nothing is due, then exits 0.
// Run with tsx; configured by environment variables so the parent can restart it as it was.
import { createDb } from "@/lib/db/client";
import { syncDue } from "./drive";
import { createSyncEngine } from "./engine";
import { RequestLimiter } from "./limiter";

const { DATABASE_URL, SANDBOX_URL, CONNECTION_ID, CLOCK_OFFSET_MS } = process.env;
if (!DATABASE_URL || !SANDBOX_URL || !CONNECTION_ID) throw new Error("DATABASE_URL, SANDBOX_URL and CONNECTION_ID are required");
const offset = Number(CLOCK_OFFSET_MS ?? 0);
const db = createDb(DATABASE_URL, { max: 2 });
const engine = createSyncEngine({ db, sandboxUrl: SANDBOX_URL, clock: () => Date.now() + offset, limiter: new RequestLimiter({ scale: 1000 }) });
// The parent's kill timer starts here, after module loading.
process.stdout.write("syncing\n");
let runs = 0;
for (;;) {
  const driven = await syncDue(engine, CONNECTION_ID);
  runs += driven.length;
  if (driven.length === 0) break;
}
process.stdout.write(`done after ${runs} runs\n`);
await db.$disconnect();
process.exit(0);
