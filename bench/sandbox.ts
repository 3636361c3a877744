// npm run bench:sandbox — is the sandbox ever the bottleneck of a sync? Serves pages of 250 Shopify
// orders from a 1,000,000-record store over real HTTP (rate limit off) and compares with the least work
// any client must do with the same pages: JSON.parse of the bodies (the baseline), and with PostgreSQL
// COPY of the same orders as jsonb rows (the physical limit of storing them; BENCH_DATABASE_URL,
// default the local postgresql://postgres@127.0.0.1:5432/postgres). The server runs in
// its own process (`npm run sandbox`, as deployed), so server and client each have a core. Also shows
// the server's HTTP floor (an empty answer) and the handler alone (no sockets, one core).
// Writes bench/results/sandbox.json.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { Dataset } from "@/lib/sandbox/dataset";
import { handleShopify } from "@/lib/platforms/shopify/sandbox/api";
import { SHOPIFY_OBJECTS } from "@/lib/platforms/shopify/sandbox/objects";
import { startSandboxProcess, writeResults } from "./support";

const SIZE = Number(process.env.BENCH_SIZE ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const API = "/admin/api/2024-10";

async function timed(
  label: string,
  seconds: number,
  step: () => Promise<number>,
): Promise<{ label: string; requests: number; records: number; seconds: number }> {
  const end = performance.now() + seconds * 1000;
  let requests = 0;
  let records = 0;
  const started = performance.now();
  while (performance.now() < end) {
    records += await step();
    requests++;
  }
  return { label, requests, records, seconds: (performance.now() - started) / 1000 };
}

/** Rows per second PostgreSQL COPY stores `orders` at, as (id, jsonb) rows into an unlogged-free temp table. */
async function copyRate(url: string, orders: unknown[], seconds: number): Promise<{ requests: number; records: number; seconds: number } | null> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch {
    return null;
  }
  try {
    await client.query("create temp table bench_orders (id bigint, data jsonb)");
    // COPY text format: tab-separated, with backslashes escaped.
    const text = orders.map((o) => `${(o as { id: number }).id}\t${JSON.stringify(o).replace(/\\/g, "\\\\")}\n`).join("");
    let rows = 0;
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      await pipeline(Readable.from([text]), client.query(copyFrom("copy bench_orders from stdin")));
      rows += orders.length;
    }
    return { requests: rows / orders.length, records: rows, seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.end();
  }
}

async function main() {
  const sandbox = await startSandboxProcess();
  const create = await fetch(`${sandbox.url}/control/accounts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ platform: "shopify", id: "bench-store", seed: 1, size: SIZE, rate_limited: false }),
  });
  if (create.status !== 201) throw new Error(`could not create the account: ${await create.text()}`);
  const { access_token } = (await (
    await fetch(`${sandbox.url}/control/accounts/shopify/bench-store/tokens`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })
  ).json()) as { access_token: string };
  const headers = { "X-Shopify-Access-Token": access_token };

  // Baseline: the smallest request the server answers (no platform work).
  const floor = await timed("HTTP floor (GET /, tiny JSON)", SECONDS / 2, async () => {
    await (await fetch(`${sandbox.url}/`)).arrayBuffer();
    return 0;
  });

  // Pages of 250 orders, following Link headers from the start of the store, as a connector pages.
  let next: string | null = `${sandbox.url}/shopify/bench-store${API}/orders.json?limit=250&status=any`;
  let bytes = 0;
  let samplePage = "";
  const served = await timed("orders pages over HTTP (250/page)", SECONDS, async () => {
    const response: Response = await fetch(next!, { headers });
    const body = await response.arrayBuffer();
    bytes += body.byteLength;
    if (!samplePage) samplePage = Buffer.from(body).toString("utf8");
    if (response.status !== 200) throw new Error(`status ${response.status}`);
    const link = response.headers.get("link") ?? "";
    next = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? `${sandbox.url}/shopify/bench-store${API}/orders.json?limit=250&status=any`;
    return (JSON.parse(Buffer.from(body).toString("utf8")) as { orders: unknown[] }).orders.length;
  });
  await sandbox.stop();

  // Baselines: what a client spends just parsing the same pages, and storing them with COPY.
  const parsed = await timed("client JSON.parse of the same pages", SECONDS / 2, async () => (JSON.parse(samplePage) as { orders: unknown[] }).orders.length);
  const copied = await copyRate(
    process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
    (JSON.parse(samplePage) as { orders: unknown[] }).orders,
    SECONDS / 2,
  );

  // The handler alone: the same pages without sockets or JSON parsing on the client side.
  const dataset = new Dataset({ seed: 1, size: SIZE, historyMonths: 24, anchor: Date.now() }, SHOPIFY_OBJECTS);
  let query = new URLSearchParams({ limit: "250", status: "any" });
  const inProcess = await timed("orders pages in process (handler only)", SECONDS / 2, async () => {
    const response = handleShopify({ method: "GET", path: `${API}/orders.json`, query, headers: {}, body: undefined, baseUrl: "http://sandbox" }, dataset);
    const link = response.headers?.Link ?? response.headers?.link ?? "";
    const nextUrl = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1];
    query = nextUrl ? new URL(nextUrl).searchParams : new URLSearchParams({ limit: "250", status: "any" });
    JSON.stringify(response.body);
    return (response.body as { orders: unknown[] }).orders.length;
  });

  const rate = (r: { requests: number; records: number; seconds: number }) => ({
    requests_per_second: Math.round(r.requests / r.seconds),
    records_per_second: Math.round(r.records / r.seconds),
  });
  const result = {
    benchmark: "sandbox",
    date: new Date().toISOString(),
    account_size: SIZE,
    page_size: 250,
    baseline_client_json_parse: rate(parsed),
    baseline_postgres_copy: copied ? rate(copied) : null,
    http_floor: rate(floor),
    served_over_http: {
      ...rate(served),
      pages_per_second: Math.round(served.requests / served.seconds),
      mb_per_second: +(bytes / served.seconds / 1e6).toFixed(1),
    },
    handler_only: rate(inProcess),
    rss_mb: Math.round(process.memoryUsage().rss / 1e6),
  };
  console.log(`account: ${SIZE.toLocaleString()} records (Shopify), pages of 250, one core`);
  console.log(
    `  baseline: client JSON.parse    ${result.baseline_client_json_parse.requests_per_second.toLocaleString()} pages/s = ${result.baseline_client_json_parse.records_per_second.toLocaleString()} records/s`,
  );
  if (result.baseline_postgres_copy)
    console.log(`  baseline: PostgreSQL COPY      ${result.baseline_postgres_copy.records_per_second.toLocaleString()} orders/s stored as jsonb`);
  else console.log("  baseline: PostgreSQL COPY      skipped (no database at BENCH_DATABASE_URL)");
  console.log(`  HTTP floor (empty answer)      ${result.http_floor.requests_per_second.toLocaleString()} requests/s`);
  console.log(
    `  pages served over HTTP         ${result.served_over_http.pages_per_second.toLocaleString()} pages/s = ${result.served_over_http.records_per_second.toLocaleString()} records/s (${result.served_over_http.mb_per_second} MB/s)`,
  );
  console.log(
    `  handler alone (no sockets)     ${result.handler_only.requests_per_second.toLocaleString()} pages/s = ${result.handler_only.records_per_second.toLocaleString()} records/s`,
  );
  console.log(
    `  served / client parse          ${(result.served_over_http.records_per_second / result.baseline_client_json_parse.records_per_second).toFixed(2)}`,
  );
  if (result.baseline_postgres_copy)
    console.log(
      `  served / PostgreSQL COPY       ${(result.served_over_http.records_per_second / result.baseline_postgres_copy.records_per_second).toFixed(2)}`,
    );
  console.log(`  RSS                            ${result.rss_mb} MB`);
  console.log(`wrote ${writeResults("sandbox", result)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
