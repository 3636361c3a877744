// npm run bench:helpdesk — a full sync of the demo help desk as `npm run dev` shows it: a Zendesk
// account of 5,000 records with the demo's seed (lib/sandbox/standalone.ts), its rate limits on (the
// plan's 700 requests a minute and the incremental exports' 10), the engine's limiter on the same
// policy, and the demo's configuration (every object, 24 months of history). BENCH_RATE_SCALE (default 1,
// the demo as it runs) multiplies both sides' limits; the exports' fixed one-minute windows do not
// shrink with it, so only 1 shows the demo's own wall time. The sandbox runs in its own process, the
// database is a fresh one on the local PostgreSQL (BENCH_DATABASE_URL). Runs paused for a rate limit
// are resumed when they are due, as the worker does.
// Figures: wall time until the connection is ONGOING, requests (all, export, refused with 429), pauses,
// records stored per object. Writes bench/results/helpdesk.json.
import { randomBytes } from "node:crypto";
import { createDb } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { DEMO_ACCOUNTS } from "@/lib/sandbox/standalone";
import { createConnection } from "@/lib/sync/connections";
import { syncDue } from "@/lib/sync/drive";
import { createSyncEngine } from "@/lib/sync/engine";
import { RequestLimiter } from "@/lib/sync/limiter";
import { saveConfigurationLevel } from "@/lib/sync/load-configuration";
import type { RunStats } from "@/lib/sync/runner";
import { createBenchDatabase, startSandboxProcess, writeResults } from "./support";

const SCALE = Number(process.env.BENCH_RATE_SCALE ?? 1);
const DEMO = DEMO_ACCOUNTS.find((account) => account.platform === "zendesk")!;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function main() {
  process.env.TRIBUTARY_SECRET_KEY ??= randomBytes(32).toString("base64");
  const [database, sandbox] = await Promise.all([createBenchDatabase(), startSandboxProcess()]);
  const db = createDb(database.url, { max: 4 });
  try {
    const control = async (path: string, body: unknown) => {
      const response = await fetch(`${sandbox.url}/control/accounts${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`control ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as Record<string, unknown>;
    };
    const id = "bench-helpdesk";
    await control("", {
      platform: "zendesk",
      id,
      size: DEMO.size,
      seed: DEMO.seed,
      history_months: DEMO.historyMonths,
      rate_limited: true,
      rate_limit_scale: SCALE,
    });
    const token = await control(`/zendesk/${id}/tokens`, {});
    const { organization } = await createOrganizationWithOwner(db, {
      name: "Bench",
      slug: `bench-${newId("org").slice(-6).toLowerCase()}`,
      owner: { email: "bench@example.com", name: "Bench", passwordHash: "x" },
    });
    const scope = { organizationId: organization.id, environment: "sandbox" as const };
    await saveConfigurationLevel(db, scope, { objects: [], historyMonths: 24, incrementalFrequencyMinutes: 60, batches: [] }, newId);
    const credentials = {
      kind: "oauth" as const,
      accessToken: String(token.access_token),
      refreshToken: String(token.refresh_token),
      expiresAt: Date.parse(String(token.expires_at)),
      scopes: [],
    };
    const { id: connectionId } = await createConnection(db, { ...scope, platform: "zendesk", platformAccountId: id, credentials });

    const sent = { all: 0, exports: 0, refused: 0, refusedExports: 0 };
    const counting: typeof fetch = async (input, init) => {
      const isExport = String(input).includes("/api/v2/incremental/");
      const response = await fetch(input, init);
      sent.all++;
      if (isExport) sent.exports++;
      if (response.status === 429) {
        sent.refused++;
        if (isExport) sent.refusedExports++;
      }
      return response;
    };
    const engine = createSyncEngine({ db, sandboxUrl: sandbox.url, fetch: counting, limiter: new RequestLimiter({ scale: SCALE }) });

    console.log(`syncing a ${DEMO.size.toLocaleString()}-record help desk (seed ${DEMO.seed}) under Zendesk's limits ×${SCALE}…`);
    const started = performance.now();
    const runIds = new Set<string>();
    let pauses = 0;
    for (;;) {
      const runs = await syncDue(engine, connectionId);
      for (const run of runs) runIds.add(run.runId);
      const last = runs.at(-1)?.result;
      if (last?.status === "rate_limited") {
        pauses++;
        await sleep(Math.max(0, last.resumeAt.getTime() - Date.now()));
        continue;
      }
      const connection = await db.connection.findUniqueOrThrow({ where: { id: connectionId } });
      if (connection.stage === "ONGOING" || runs.length === 0) break;
    }
    const seconds = (performance.now() - started) / 1000;
    const connection = await db.connection.findUniqueOrThrow({ where: { id: connectionId } });
    const runs = await db.syncRun.findMany({ where: { id: { in: [...runIds] } } });
    const stats = runs.map((run) => run.stats as unknown as RunStats);
    const stored = await db.record.groupBy({ by: ["object"], where: { connectionId, deletedAt: null }, _count: true });

    const result = {
      date: new Date().toISOString(),
      account: { platform: "zendesk", size: DEMO.size, seed: DEMO.seed },
      rate_scale: SCALE,
      policy: `account ${Math.round(700 * SCALE)}/min, incremental exports ${Math.max(1, Math.round(10 * SCALE))}/min; engine limiter ×${SCALE}`,
      stage: connection.stage,
      runs: runs.length,
      seconds: Number(seconds.toFixed(1)),
      requests: stats.reduce((sum, s) => sum + s.requests, 0),
      http_requests: sent.all,
      export_requests: sent.exports,
      refused_429: sent.refused,
      refused_429_exports: sent.refusedExports,
      pauses,
      records: Object.fromEntries(stored.map((row) => [row.object, row._count])),
    };
    console.log(`  ${result.stage} after ${result.seconds} s in ${result.runs} runs, ${pauses} rate-limit pauses`);
    console.log(
      `  requests ${result.http_requests} (incremental exports ${result.export_requests}), 429s ${result.refused_429} (exports ${result.refused_429_exports})`,
    );
    console.log(`  records ${JSON.stringify(result.records)}`);
    console.log(`wrote ${writeResults("helpdesk", result)}`);
  } finally {
    await db.$disconnect();
    await sandbox.stop();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
