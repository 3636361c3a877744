// npm run bench:webhooks — webhook deliveries by the embedded worker to a local receiver (its own
// process), against PostgreSQL (BENCH_DATABASE_URL, default the local postgresql://postgres@127.0.0.1:5432/postgres;
// a fresh database is created and dropped). Figures, each beside a baseline from the same run:
//   1. sustained deliveries/s draining a backlog of BENCH_EVENTS events (default 20,000), vs the
//      receiver's own capacity: signed POSTs sent to it as fast as it answers, same concurrency;
//   2. latency from event creation to arrival at a steady offered load (BENCH_RATE events/s for
//      BENCH_SECONDS), p50 / p99, beside the receiver's own round-trip time.
// The events belong to BENCH_CONNECTIONS connections (default 100), round robin: each connection is
// one ordered stream (lib/webhooks/streams.ts), so at most one delivery per connection is in flight.
// BENCH_CPU_PROF=<dir> profiles the worker while it drains (slower: the figure then is the profiled
// one), writes the profile there and says where this process's time went, in categories.
// Writes bench/results/webhooks.json.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Agent, request } from "undici";
import { createDb } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createSyncEngine } from "@/lib/sync/engine";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { newWebhookSecret, signedRequest } from "@/lib/webhooks/signing";
import { startWorker } from "@/lib/worker/worker";
import { createBenchDatabase, formatShares, postgresCpuSeconds, profileIfAsked, writeResults } from "./support";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = 16;
const RECEIVER_PORT = Number(process.env.BENCH_RECEIVER_PORT ?? 4320);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);

// The receiver: answers 204 and reports each webhook-id's arrival time on stdout, in batches.
const RECEIVER = `
const http = require("node:http");
let batch = [];
setInterval(() => { if (batch.length) { process.stdout.write(batch.join("\\n") + "\\n"); batch = []; } }, 100);
http.createServer((req, res) => {
  req.resume();
  req.on("end", () => { batch.push(req.headers["webhook-id"] + " " + Date.now()); res.writeHead(204).end(); });
}).listen(${RECEIVER_PORT}, "127.0.0.1", () => process.stdout.write("ready\\n"));
`;

function startReceiver(arrivals: Map<string, number>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["-e", RECEIVER], { stdio: ["ignore", "pipe", "inherit"] });
  let buffer = "";
  return new Promise((resolve) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) {
        if (line === "ready") resolve(child);
        else {
          const [id, at] = line.split(" ");
          if (!arrivals.has(id)) arrivals.set(id, Number(at));
        }
      }
    });
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  process.env.TRIBUTARY_SECRET_KEY ??= randomBytes(32).toString("base64");
  const database = await createBenchDatabase();
  const arrivals = new Map<string, number>();
  const receiver = await startReceiver(arrivals);
  const receiverUrl = `http://127.0.0.1:${RECEIVER_PORT}/hooks`;
  const db = createDb(database.url, { max: 24 });
  try {
    const { organization } = await createOrganizationWithOwner(db, {
      name: "Bench",
      slug: "bench",
      owner: { email: "bench@example.com", name: "Bench", passwordHash: "x" },
    });
    const scope = { organizationId: organization.id, environment: "sandbox" as const };

    // Baseline 1: the receiver's own capacity — signed POSTs as fast as it answers, CONCURRENCY in flight.
    const agent = new Agent({ keepAliveTimeout: 30_000 });
    const secret = newWebhookSecret();
    const baselineEnd = performance.now() + 5000;
    let baselineCount = 0;
    const rtts: number[] = [];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < baselineEnd) {
          const signed = signedRequest({
            id: `evt_baseline_${baselineCount}`,
            type: "ORDER_UPDATED",
            occurredAt: new Date(),
            data: { connection_id: "conn_x", object: "orders", id: String(baselineCount) },
            secrets: [secret],
            sentAt: new Date(),
          });
          const started = performance.now();
          const response = await request(receiverUrl, { method: "POST", headers: signed.headers, body: signed.body, dispatcher: agent });
          await response.body.dump();
          rtts.push(performance.now() - started);
          baselineCount++;
        }
      }),
    );
    const receiverCapacity = baselineCount / 5;
    await agent.close();

    const connectionIds = Array.from({ length: CONNECTIONS }, () => newId("conn"));
    await db.$executeRaw`
      insert into connections (id, organization_id, environment, platform, access_token_hash, updated_at)
      select t.id, ${organization.id}, 'sandbox'::"EnvironmentKind", 'shopify', t.id, now() from unnest(${connectionIds}::text[]) as t(id)`;
    const connectionsOf = (n: number, offset: number) => Array.from({ length: n }, (_, i) => connectionIds[(offset + i) % CONNECTIONS]);

    // 1. Sustained: a backlog of events, drained by one worker.
    await createEndpoint(db, scope, { url: receiverUrl, eventTypes: ["ORDER_UPDATED"] });
    console.log(`publishing ${EVENTS.toLocaleString()} events…`);
    for (let i = 0; i < EVENTS; i += 5000) {
      const n = Math.min(5000, EVENTS - i);
      const ids = Array.from({ length: n }, () => newId("evt"));
      await db.$executeRaw`
        insert into events (id, organization_id, environment, connection_id, type, object, data)
        select t.id, ${organization.id}, 'sandbox'::"EnvironmentKind", t.connection_id, 'ORDER_UPDATED', 'orders', jsonb_build_object('connection_id', t.connection_id, 'object', 'orders', 'id', t.id)
        from unnest(${ids}::text[], ${connectionsOf(n, i)}::text[]) as t(id, connection_id)`;
    }
    const engine = createSyncEngine({ db, sandboxUrl: null });
    const profiled = await profileIfAsked("webhooks-drain");
    const drainStarted = performance.now();
    const cpuBefore = process.cpuUsage();
    const postgresBefore = postgresCpuSeconds();
    const worker = startWorker(engine, { deliveryConcurrency: CONCURRENCY, deliveryPollMs: 50, log: () => undefined });
    while ((await db.delivery.count({ where: { status: "succeeded" } })) < EVENTS) await new Promise((resolve) => setTimeout(resolve, 200));
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    const drainCpu = process.cpuUsage(cpuBefore);
    const drainPostgresCpu = postgresCpuSeconds() - postgresBefore;
    const workerTime = await profiled?.();

    // 2. Latency at a steady offered load.
    console.log(`offering ${RATE} events/s for ${SECONDS} s…`);
    const offered: string[] = [];
    const created = new Map<string, number>();
    const offerStart = performance.now();
    const offerEnd = offerStart + SECONDS * 1000;
    for (let tick = 0; performance.now() < offerEnd; tick++) {
      const due = Math.round(((tick + 1) * RATE) / 10) - Math.round((tick * RATE) / 10);
      const ids = Array.from({ length: due }, () => newId("evt"));
      const at = Date.now();
      await db.$executeRaw`
        insert into events (id, organization_id, environment, connection_id, type, object, data, created_at)
        select t.id, ${organization.id}, 'sandbox'::"EnvironmentKind", t.connection_id, 'ORDER_UPDATED', 'orders', jsonb_build_object('id', t.id), ${new Date(at)}
        from unnest(${ids}::text[], ${connectionsOf(due, offered.length)}::text[]) as t(id, connection_id)`;
      for (const id of ids) created.set(id, at);
      offered.push(...ids);
      // Ten batches a second, on a fixed cadence.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, offerStart + (tick + 1) * 100 - performance.now())));
    }
    while (offered.some((id) => !arrivals.has(id))) await new Promise((resolve) => setTimeout(resolve, 100));
    await worker.stop();
    const latencies = offered.map((id) => arrivals.get(id)! - created.get(id)!).sort((a, b) => a - b);
    rtts.sort((a, b) => a - b);

    const result = {
      date: new Date().toISOString(),
      database: "PostgreSQL (local)",
      connections: CONNECTIONS,
      sustained: {
        events: EVENTS,
        seconds: Number(drainSeconds.toFixed(2)),
        deliveries_per_second: Math.round(EVENTS / drainSeconds),
        concurrency: CONCURRENCY,
        baseline_receiver_capacity_per_second: Math.round(receiverCapacity),
        ratio_to_receiver: Number((EVENTS / drainSeconds / receiverCapacity).toFixed(3)),
        // Where the cores went: this process (the worker: fan-out, claims, signing, sending) and PostgreSQL's processes.
        cpu_microseconds_per_delivery: {
          worker: Math.round((drainCpu.user + drainCpu.system) / EVENTS),
          postgres: Math.round((drainPostgresCpu * 1e6) / EVENTS),
        },
        ...(workerTime ? { profiled: true, worker_time: workerTime } : {}),
      },
      latency: {
        offered_per_second: RATE,
        events: offered.length,
        p50_ms: percentile(latencies, 50),
        p99_ms: percentile(latencies, 99),
        max_ms: latencies.at(-1),
        baseline_receiver_round_trip_p50_ms: Number(percentile(rtts, 50).toFixed(2)),
        baseline_receiver_round_trip_p99_ms: Number(percentile(rtts, 99).toFixed(2)),
      },
    };
    console.log(`sustained (${EVENTS.toLocaleString()} events, ${CONCURRENCY} in flight)`);
    console.log(`  worker                      ${result.sustained.deliveries_per_second.toLocaleString()} deliveries/s (${result.sustained.seconds} s)`);
    console.log(`  baseline: receiver capacity ${result.sustained.baseline_receiver_capacity_per_second.toLocaleString()} signed POSTs/s`);
    console.log(`  worker / receiver           ${result.sustained.ratio_to_receiver}`);
    console.log(
      `  CPU per delivery            worker ${result.sustained.cpu_microseconds_per_delivery.worker} µs, PostgreSQL ${result.sustained.cpu_microseconds_per_delivery.postgres} µs (2 cores: ${Math.round(2e6 / (result.sustained.cpu_microseconds_per_delivery.worker + result.sustained.cpu_microseconds_per_delivery.postgres)).toLocaleString()} deliveries/s if nothing else ran)`,
    );
    if (workerTime) {
      console.log(`  the worker's time (profiled) ${formatShares(workerTime)}`);
    }
    console.log(`latency, event created → received, at ${RATE} events/s for ${SECONDS} s`);
    console.log(`  p50 ${result.latency.p50_ms} ms, p99 ${result.latency.p99_ms} ms, max ${result.latency.max_ms} ms`);
    console.log(
      `  baseline: receiver round trip p50 ${result.latency.baseline_receiver_round_trip_p50_ms} ms, p99 ${result.latency.baseline_receiver_round_trip_p99_ms} ms`,
    );
    console.log(`wrote ${writeResults("webhooks", result)}`);
  } finally {
    await db.$disconnect();
    receiver.kill();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
