// `npm run worker`: the embedded worker alone, for running more of them beside the app (each claims
// different connections; leases keep them apart). Needs DATABASE_URL; TRIBUTARY_SANDBOX_URL points
// sandbox connections at the sandbox platforms.
import { ConfigError, databaseUrl } from "@/lib/config";
import { loadSecretKey } from "@/lib/crypto";
import { createDb } from "@/lib/db/client";
import { createSyncEngine, sharedLimiter } from "@/lib/sync/engine";
import { redactProcessOutput } from "@/lib/log/redact";
import { startWorker } from "@/lib/worker/worker";

// Its lines carry platform errors and URLs: tokens and passwords in them are redacted.
redactProcessOutput();
const log = (line: string) => console.log(`[worker] ${line}`);

try {
  if (!process.env.DATABASE_URL)
    throw new ConfigError(
      "DATABASE_URL is required: the worker claims work from that database (the embedded one is reachable only while `npm run dev` runs, at postgresql://postgres:PASSWORD@127.0.0.1:54329/postgres, the password in .data/pglite.password or TRIBUTARY_EMBEDDED_DB_PASSWORD)",
    );
  loadSecretKey({ warn: log });
  const db = createDb(databaseUrl());
  const engine = createSyncEngine({ db, limiter: sharedLimiter(db) });
  const worker = startWorker(engine, { concurrency: Number(process.env.TRIBUTARY_WORKER_CONCURRENCY ?? 4), log });
  log(`${worker.owner} is syncing connections`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      log("stopping after the current pages…");
      void worker
        .stop()
        .then(() => db.$disconnect())
        .then(() => process.exit(0));
    });
  }
} catch (error) {
  console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
