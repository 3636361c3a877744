// npm run bench — every benchmark in sequence, each in its own process as its own npm script runs it,
// then one table of the figures the performance goals name (figure, value, baseline, ratio, goal, met?),
// read from what the benchmarks wrote to bench/results, and bench/results/summary.json.
// BENCH_ONLY=sync,webhooks runs only those; BENCH_SUMMARY_ONLY=1 runs nothing and prints the table from
// the results as they are (each row says when its benchmark last ran). A figure no benchmark measures
// yet says so: it is not a pass.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { writeResults } from "./support";

/** In the order they run: the cheap ones first, so a broken setup shows before the hour-long ones. */
const BENCHMARKS = ["sandbox", "limits", "webhooks", "jobs", "helpdesk", "sync", "api", "dashboard"] as const;

type Json = Record<string, unknown>;

interface Figure {
  figure: string;
  source: (typeof BENCHMARKS)[number];
  unit: string;
  /** "at least" for a ratio or rate to reach, "at most" for a time or size to stay under. */
  goal: { at: "least" | "most"; value: number; of: "ratio" | "value" };
  read(result: Json): { value: number; baseline: number | null; ratio: number | null } | null;
}

const at = (value: unknown, ...keys: (string | number)[]): unknown =>
  keys.reduce<unknown>((current, key) => (current !== null && typeof current === "object" ? (current as Record<string, unknown>)[key] : undefined), value);
const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

/** The figures of the performance goals (issue 22), each read from one benchmark's results. */
const FIGURES: Figure[] = [
  {
    // From the replay platform (the sandbox's pages served from memory), so the figure is the engine's and not the sandbox's on the same cores.
    figure: "ingest, 1M records from the replay platform, engine vs PostgreSQL COPY",
    source: "sync",
    unit: "records/s",
    goal: { at: "least", value: 0.5, of: "ratio" },
    read: (r) => {
      const value = num(at(r, "replayed_ingest", "records_per_second"));
      const baseline = num(at(r, "replayed_ingest", "baseline_postgres_copy_records_per_second"));
      return value === null ? null : { value, baseline, ratio: baseline ? value / baseline : null };
    },
  },
  {
    figure: "peak RSS of the syncing process at 1M records",
    source: "sync",
    unit: "MB",
    goal: { at: "most", value: 250, of: "value" },
    read: (r) => {
      const value = num(at(r, "ingest", "peak_rss_mb"));
      return value === null ? null : { value, baseline: num(at(r, "ingest", "rss_before_sync_mb")), ratio: null };
    },
  },
  {
    figure: "webhook deliveries, 20k events, vs the receiver",
    source: "webhooks",
    unit: "deliveries/s",
    goal: { at: "least", value: 0.5, of: "ratio" },
    read: (r) => {
      const value = num(at(r, "sustained", "deliveries_per_second"));
      const baseline = num(at(r, "sustained", "baseline_receiver_capacity_per_second"));
      return value === null ? null : { value, baseline, ratio: baseline ? value / baseline : null };
    },
  },
  {
    figure: "event → receipt p99 at 200 events/s",
    source: "webhooks",
    unit: "ms",
    goal: { at: "most", value: 100, of: "value" },
    read: (r) => {
      const value = num(at(r, "latency", "p99_ms"));
      return value === null ? null : { value, baseline: num(at(r, "latency", "baseline_receiver_round_trip_p99_ms")), ratio: null };
    },
  },
  {
    figure: "one sync job run vs its sequential limit",
    source: "jobs",
    unit: "ms",
    goal: { at: "least", value: 0.5, of: "ratio" },
    read: (r) => {
      const value = num(at(r, "run_ms"));
      const baseline = num(at(r, "sequential_limit_ms"));
      return value === null ? null : { value, baseline, ratio: baseline && value ? baseline / value : null };
    },
  },
  {
    figure: "API record pages, limit 500, concurrency 8, vs the same SQL",
    source: "api",
    unit: "records/s",
    goal: { at: "least", value: 0.6, of: "ratio" },
    read: (r) => {
      const pages = Array.isArray(r.pages) ? (r.pages as Json[]) : [];
      const page = pages.find((p) => p.limit === 500 && p.concurrency === 8);
      const value = num(at(page, "api", "records_per_second"));
      const baseline = num(at(page, "baseline_sql", "records_per_second"));
      return value === null ? null : { value, baseline, ratio: baseline ? value / baseline : null };
    },
  },
  {
    figure: "engine vs a per-record hand-written sync, same account",
    source: "sync",
    unit: "records/s",
    goal: { at: "least", value: 10, of: "ratio" },
    read: (r) => {
      const value = num(at(r, "ingest", "records_per_second"));
      const baseline = num(at(r, "per_record_baseline", "records_per_second"));
      return value === null || baseline === null ? null : { value, baseline, ratio: value / baseline };
    },
  },
];

function run(names: readonly string[]): string[] {
  const failed: string[] = [];
  for (const name of names) {
    console.log(`\n── npm run bench:${name} ──`);
    const started = Date.now();
    const result = spawnSync("npm", ["run", "--silent", `bench:${name}`], { stdio: "inherit", env: process.env });
    console.log(
      `── bench:${name} ${result.status === 0 ? "done" : `failed (exit ${result.status ?? result.signal})`} in ${((Date.now() - started) / 1000).toFixed(0)} s ──`,
    );
    if (result.status !== 0) failed.push(name);
  }
  return failed;
}

function readResult(name: string): { result: Json; date: string | null } | null {
  const file = path.resolve(`bench/results/${name}.json`);
  if (!existsSync(file)) return null;
  const result = JSON.parse(readFileSync(file, "utf8")) as Json;
  return { result, date: typeof result.date === "string" ? result.date : null };
}

const format = (value: number | null, digits = 0) => (value === null ? "—" : value.toLocaleString("en-US", { maximumFractionDigits: digits }));

function summarize(): { rows: Json[]; met: number; measured: number } {
  const rows = FIGURES.map((figure) => {
    const read = readResult(figure.source);
    const measured = read ? figure.read(read.result) : null;
    const compared = measured === null ? null : figure.goal.of === "ratio" ? measured.ratio : measured.value;
    const met = compared === null ? null : figure.goal.at === "least" ? compared >= figure.goal.value : compared <= figure.goal.value;
    return {
      figure: figure.figure,
      source: `bench:${figure.source}`,
      measured_at: read?.date ?? null,
      unit: figure.unit,
      value: measured?.value ?? null,
      baseline: measured?.baseline ?? null,
      ratio: measured?.ratio === null || measured === null ? null : Number(measured.ratio.toFixed(3)),
      goal: `${figure.goal.of === "ratio" ? "ratio" : figure.unit} ${figure.goal.at === "least" ? "≥" : "≤"} ${figure.goal.value}`,
      met,
    };
  });
  const cells = rows.map((row) => [
    String(row.figure),
    row.value === null ? "—" : `${format(row.value as number)} ${row.unit === "records/s" || row.unit === "deliveries/s" ? "" : row.unit}`.trim(),
    format(row.baseline as number | null),
    row.ratio === null ? "—" : String(row.ratio),
    String(row.goal),
    row.met === null ? "not measured" : row.met ? "yes" : "no",
    typeof row.measured_at === "string" ? row.measured_at.slice(0, 10) : "—",
  ]);
  const head = ["figure", "value", "baseline", "ratio", "goal", "met?", "measured"];
  const widths = head.map((title, i) => Math.max(title.length, ...cells.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  console.log("\n" + line(head));
  for (const row of cells) console.log(line(row));
  const measured = rows.filter((row) => row.met !== null).length;
  const metCount = rows.filter((row) => row.met === true).length;
  console.log(`\n${metCount} of ${rows.length} goals met; ${rows.length - measured} not measured by any benchmark yet.`);
  return { rows, met: metCount, measured };
}

const only = process.env.BENCH_ONLY?.split(",")
  .map((name) => name.trim())
  .filter(Boolean);
const unknown = (only ?? []).filter((name) => !(BENCHMARKS as readonly string[]).includes(name));
if (unknown.length) {
  console.error(`BENCH_ONLY names no benchmark: ${unknown.join(", ")} (they are ${BENCHMARKS.join(", ")})`);
  process.exit(2);
}
const failed = process.env.BENCH_SUMMARY_ONLY === "1" ? [] : run(only ?? BENCHMARKS);
const summary = summarize();
const out = writeResults("summary", {
  date: new Date().toISOString(),
  ran: process.env.BENCH_SUMMARY_ONLY === "1" ? [] : (only ?? BENCHMARKS),
  failed,
  ...summary,
});
console.log(`Wrote ${path.relative(process.cwd(), out)}`);
if (failed.length) {
  console.error(`Failed: ${failed.map((name) => `bench:${name}`).join(", ")}`);
  process.exit(1);
}
