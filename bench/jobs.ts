// npm run bench:jobs — one sync job run (tickets, then each ticket's comments) from a sandbox help desk
// of BENCH_SIZE records (default 3,000; no rate limit; the sandbox in its own process) to a receiver in
// its own process, on PostgreSQL (BENCH_DATABASE_URL; a fresh database is created and dropped).
//
// A run is sequential by design: each page waits for the receiver's 2xx before the next request
// (back-pressure). Its physical limit is therefore the same requests made one after another with
// nothing in between: the same platform pages fetched directly (the platform's time), plus the same
// signed event bodies POSTed one after another to the same receiver (the receiver's time). The figure
// is that sum over the run's own time: 1.0 would mean Tributary's bookkeeping (position, events,
// deliveries, attempts, all written to PostgreSQL per page) costs nothing.
// BENCH_CPU_PROF=<dir> profiles the run (its figure is then the profiled one) and says where this
// process's time went, in categories. Writes bench/results/jobs.json.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Agent, request } from "undici";
import { createDb } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createJob, createJobRun } from "@/lib/jobs/store";
import { driveJobRun } from "@/lib/jobs/runner";
import { JOB_PAGE_SIZE } from "@/lib/jobs/walk";
import { TICKETS_AND_COMMENTS } from "@/lib/jobs/testing";
import { getConnector } from "@/lib/platforms";
import type { ConnectorContext, ListRequest } from "@/lib/platforms/types";
import { createConnection } from "@/lib/sync/connections";
import { createSyncEngine } from "@/lib/sync/engine";
import { RequestLimiter } from "@/lib/sync/limiter";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { signedRequest } from "@/lib/webhooks/signing";
import { createBenchDatabase, formatShares, profileIfAsked, startSandboxProcess, writeResults } from "./support";

const SIZE = Number(process.env.BENCH_SIZE ?? 3_000);
const RECEIVER_PORT = Number(process.env.BENCH_RECEIVER_PORT ?? 4321);

const RECEIVER = `
require("node:http").createServer((req, res) => { req.resume(); req.on("end", () => res.writeHead(204).end()); })
  .listen(${RECEIVER_PORT}, "127.0.0.1", () => process.stdout.write("ready\\n"));
`;

function startReceiver(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["-e", RECEIVER], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve) => child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve(child)));
}

async function main() {
  process.env.TRIBUTARY_SECRET_KEY ??= randomBytes(32).toString("base64");
  const [database, sandbox, receiver] = await Promise.all([createBenchDatabase(), startSandboxProcess(), startReceiver()]);
  const db = createDb(database.url, { max: 4 });
  try {
    const control = (path: string, body: unknown) =>
      fetch(`${sandbox.url}/control/accounts${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const created = await control("", { platform: "zendesk", id: "bench-desk", size: SIZE, seed: 11, history_months: 24, rate_limited: false });
    if (created.status !== 201) throw new Error(`sandbox account: ${created.status} ${await created.text()}`);
    const token = (await (await control("/zendesk/bench-desk/tokens", {})).json()) as { access_token: string; refresh_token: string; expires_at: string };
    const { organization } = await createOrganizationWithOwner(db, {
      name: "Bench",
      slug: `bench-${newId("org").slice(-6).toLowerCase()}`,
      owner: { email: "bench@example.com", name: "Bench", passwordHash: "x" },
    });
    const scope = { organizationId: organization.id, environment: "sandbox" as const };
    const credentials = {
      kind: "oauth" as const,
      accessToken: token.access_token,
      refreshToken: token.refresh_token,
      expiresAt: Date.parse(token.expires_at),
      scopes: [],
    };
    const { id: connectionId } = await createConnection(db, { ...scope, platform: "zendesk", platformAccountId: "bench-desk", credentials });
    const receiverUrl = `http://127.0.0.1:${RECEIVER_PORT}/hooks`;
    const endpoint = await createEndpoint(db, scope, { url: receiverUrl });
    const engine = createSyncEngine({ db, sandboxUrl: sandbox.url, limiter: new RequestLimiter({ scale: 1000 }) });

    // The run.
    const job = await createJob(db, scope, TICKETS_AND_COMMENTS);
    const run = await createJobRun(db, scope, { syncJobId: job.id, connectionId, webhookEndpointId: endpoint.id });
    const memoryBefore = process.memoryUsage().rss;
    let peakRss = memoryBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const profiled = await profileIfAsked("jobs-run");
    const started = performance.now();
    const result = await driveJobRun(engine, run.id, { maxWaitMs: 3_600_000 });
    const runMs = performance.now() - started;
    const runTime = await profiled?.();
    clearInterval(sampler);
    if (result.status !== "succeeded") throw new Error(`the run ended ${result.status}`);
    const finished = await db.syncJobRun.findUniqueOrThrow({ where: { id: run.id } });
    const progress = finished.progress as Record<string, { requests: number; pages: number; records: number }>;
    const events = await db.event.findMany({
      where: { type: { startsWith: "SYNC_JOB_RUN_" }, data: { path: ["sync_job_run_id"], equals: run.id } },
      orderBy: { seq: "asc" },
      select: { id: true, type: true, createdAt: true, data: true },
    });
    const records = Object.values(progress).reduce((sum, p) => sum + p.records, 0);
    const requests = Object.values(progress).reduce((sum, p) => sum + p.requests, 0);

    // Baseline 1: the same platform pages, fetched one after another by the connector itself.
    const connector = getConnector("zendesk");
    const context: ConnectorContext = { baseUrl: connector.endpoints("bench-desk", sandbox.url).apiBaseUrl, credentials, fetch };
    const fetchStarted = performance.now();
    const ticketIds: string[] = [];
    const walk = async (request: ListRequest, each?: (data: Record<string, unknown>) => void) => {
      for (let cursor: string | null = null, first = true; first || cursor; first = false) {
        const page = await connector.list(context, { ...request, cursor, pageSize: JOB_PAGE_SIZE });
        for (const record of page.records) each?.(record.data);
        cursor = page.nextCursor;
      }
    };
    await walk({ object: "tickets", cursor: null }, (ticket) => ticketIds.push(String(ticket.id)));
    for (const id of ticketIds) await walk({ object: "comments", cursor: null, filters: { ticket_id: id } });
    const platformMs = performance.now() - fetchStarted;

    // Baseline 2: the run's own event bodies, signed and POSTed one after another to the same receiver.
    const agent = new Agent({ connections: 1, pipelining: 1 });
    const secret = `whsec_${randomBytes(24).toString("base64")}`;
    const postStarted = performance.now();
    for (const event of events) {
      const signed = signedRequest({ id: event.id, type: event.type, occurredAt: event.createdAt, data: event.data, secrets: [secret], sentAt: new Date() });
      const response = await request(receiverUrl, { method: "POST", headers: signed.headers, body: signed.body, dispatcher: agent });
      await response.body.dump();
    }
    const receiverMs = performance.now() - postStarted;
    await agent.close();

    const limitMs = platformMs + receiverMs;
    const figures = {
      size: SIZE,
      records,
      platform_requests: requests,
      events: events.length,
      run_ms: Math.round(runMs),
      records_per_s: Math.round(records / (runMs / 1000)),
      events_per_s: Math.round(events.length / (runMs / 1000)),
      baseline_platform_ms: Math.round(platformMs),
      baseline_receiver_ms: Math.round(receiverMs),
      sequential_limit_ms: Math.round(limitMs),
      ratio_to_limit: Number((limitMs / runMs).toFixed(3)),
      peak_rss_mb: Math.round(peakRss / 1e6),
      rss_growth_mb: Math.round((peakRss - memoryBefore) / 1e6),
      ...(runTime ? { profiled: true, run_time: runTime } : {}),
    };
    console.log(`sync job run: ${records} records in ${events.length} events from ${requests} platform requests`);
    console.log(`  run                 ${figures.run_ms} ms   (${figures.records_per_s} records/s, ${figures.events_per_s} events/s)`);
    console.log(`  baseline platform   ${figures.baseline_platform_ms} ms   (same pages fetched one after another)`);
    console.log(`  baseline receiver   ${figures.baseline_receiver_ms} ms   (same bodies POSTed one after another)`);
    console.log(`  sequential limit / run = ${figures.ratio_to_limit}   peak RSS ${figures.peak_rss_mb} MB (+${figures.rss_growth_mb} MB during the run)`);
    if (runTime) console.log(`  the run's time (profiled) ${formatShares(runTime)}`);
    console.log(`wrote ${writeResults("jobs", figures)}`);
  } finally {
    receiver.kill();
    await db.$disconnect();
    await sandbox.stop();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
