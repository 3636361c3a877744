// What the benchmarks share: the sandbox platforms in their own process (`npm run sandbox`, as
// deployed), so the platform and the code under test each have a core; and the results file.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { Session } from "node:inspector/promises";
import path from "node:path";
import pg from "pg";

export async function startSandboxProcess(port = Number(process.env.BENCH_SANDBOX_PORT ?? 4310)): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), "tributary-bench-"));
  const child = await startChild("scripts/sandbox.ts", { TRIBUTARY_SANDBOX_PORT: String(port), TRIBUTARY_DATA_DIR: dir }, "Emulated platforms on");
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      // It saves its state on the way out: remove the directory after it has exited.
      await child.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The replay platform (bench/replay-server.ts) in front of `target`, in its own process: it records
 * the GET answers it forwards, then serves them from memory once told to replay.
 */
export async function startReplayProcess(
  target: string,
  port = Number(process.env.BENCH_REPLAY_PORT ?? 4330),
): Promise<{ url: string; mode(mode: "record" | "replay"): Promise<ReplayStats>; stats(): Promise<ReplayStats>; stop(): Promise<void> }> {
  const child = await startChild("bench/replay-server.ts", { REPLAY_TARGET: target, REPLAY_PORT: String(port) }, "Replay platform on");
  const url = `http://127.0.0.1:${port}`;
  const control = async (init?: RequestInit) => {
    const response = await fetch(`${url}/__replay/${init ? "mode" : "stats"}`, init);
    if (!response.ok) throw new Error(`replay control: ${response.status} ${await response.text()}`);
    return (await response.json()) as ReplayStats;
  };
  return {
    url,
    mode: (mode) => control({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ mode }) }),
    stats: () => control(),
    stop: () => child.stop(),
  };
}

export interface ReplayStats {
  mode: string;
  answers: number;
  recorded_bytes: number;
  served: number;
  served_bytes: number;
  forwarded: number;
  misses: number;
  ambiguous_keys: number;
  ambiguous_requests: number;
}

/** A TypeScript script in its own Node process, once it has printed `ready`; stop() ends it and waits. */
async function startChild(script: string, env: Record<string, string>, ready: string): Promise<{ stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes(ready) && resolve());
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** CPU seconds (user + system) PostgreSQL's processes on this machine have used, from /proc. */
export function postgresCpuSeconds(): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (!stat.includes("(postgres)")) continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return ticks / 100;
}

/** Writes bench/results/<name>.json, stamped with when it ran unless the result says so itself (npm run bench reads the date). */
export function writeResults(name: string, result: unknown): string {
  const out = path.resolve(`bench/results/${name}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  const stamped =
    result !== null && typeof result === "object" && !Array.isArray(result) && !("date" in result) ? { date: new Date().toISOString(), ...result } : result;
  writeFileSync(out, JSON.stringify(stamped, null, 2) + "\n");
  return out;
}

/**
 * A fresh, migrated database on the PostgreSQL at BENCH_DATABASE_URL (default the local one), and
 * how to drop it. Migrations run in a child process, so the schema engine's WebAssembly stays out of
 * the benchmark's own memory.
 */
export async function createBenchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const name = `tributary_bench_${randomBytes(4).toString("hex")}`;
  await admin(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop = () => admin(`drop database if exists ${name} with (force)`);
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/db-migrate.ts"], {
    env: { ...process.env, DATABASE_URL: url.toString() },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) {
    await drop();
    throw new Error(`migrations exited with ${code}`);
  }
  return { url: url.toString(), drop };
}

/**
 * A production build in its own dist dir (`next build`); Next.js adds that dir's types to
 * tsconfig.json, which is put back as it was. With BENCH_SKIP_BUILD=1 an existing build is reused.
 * Answers the build's duration in seconds (0 when reused).
 */
export function buildNext(distDir: string): Promise<number> {
  if (process.env.BENCH_SKIP_BUILD === "1" && existsSync(path.join(distDir, "BUILD_ID"))) return Promise.resolve(0);
  const tsconfig = readFileSync("tsconfig.json", "utf8");
  const started = performance.now();
  const child = spawn(path.resolve("node_modules/.bin/next"), ["build"], {
    env: { ...process.env, TRIBUTARY_NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return new Promise((resolve, reject) =>
    child.on("exit", (code) => {
      if (readFileSync("tsconfig.json", "utf8") !== tsconfig) writeFileSync("tsconfig.json", tsconfig);
      if (code === 0) resolve((performance.now() - started) / 1000);
      else reject(new Error(`next build exited with ${code}`));
    }),
  );
}

/** `next start` of that build on 127.0.0.1:port against databaseUrl, once /api/health answers. */
export async function startNext(input: {
  distDir: string;
  port: number;
  databaseUrl: string;
  env?: Record<string, string>;
  nodeArgs?: string[];
}): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const url = `http://127.0.0.1:${input.port}`;
  const child = spawn(
    process.execPath,
    [...(input.nodeArgs ?? []), path.resolve("node_modules/next/dist/bin/next"), "start", "--port", String(input.port), "--hostname", "127.0.0.1"],
    {
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: input.databaseUrl,
        TRIBUTARY_NEXT_DIST_DIR: input.distDir,
        NEXTAUTH_URL: url,
        NEXT_TELEMETRY_DISABLED: "1",
        ...input.env,
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (attempt > 300) throw new Error("next start did not answer /api/health within 30 s");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** p-th percentile of ascending values. */
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/**
 * With BENCH_CPU_PROF=<dir> set, starts a V8 CPU profile of this process (1 ms samples); the function
 * returned stops it, writes <dir>/<name>.cpuprofile and gives its time by category. Without it, null.
 */
export async function profileIfAsked(name: string): Promise<(() => Promise<Record<string, number>>) | null> {
  if (!process.env.BENCH_CPU_PROF) return null;
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 1000 });
  await session.post("Profiler.start");
  return async () => {
    const { profile } = (await session.post("Profiler.stop")) as { profile: CpuProfile };
    session.disconnect();
    const dir = path.resolve(process.env.BENCH_CPU_PROF!);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    return profileByCategory(profile);
  };
}

/** A profile's categories as one line: "waiting 33%, connector 21%, …". */
export const formatShares = (shares: Record<string, number>) =>
  Object.entries(shares)
    .map(([name, share]) => `${name} ${Math.round(share * 100)}%`)
    .join(", ");

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** What a profile frame is doing, by where its code lives; null for a frame that does its caller's work. */
function frameCategory(frame: { functionName: string; url: string }): string | null {
  const { functionName, url } = frame;
  if (functionName === "(idle)") return "waiting (PostgreSQL, the platform)";
  if (functionName === "(garbage collector)") return "garbage collection";
  if (functionName === "(program)") return "V8 and native, unattributed";
  if (/node_modules\/(pg|pg-protocol|pg-pool|pg-types)\//.test(url)) return "pg driver (protocol, parsing rows)";
  if (/undici|node:internal\/deps/.test(url)) return "HTTP client (fetch)";
  if (/node_modules\/(@prisma|\.prisma)|lib\/generated\/prisma/.test(url)) return "Prisma";
  if (url.includes("lib/platforms/")) return "connector (request, normalizing)";
  if (url.includes("lib/sync/hash")) return "hashing (canonical JSON, SHA)";
  if (url.includes("lib/sync/payloads")) return "payloads (dictionary deflate)";
  if (url.includes("lib/sync/sql/") || url.includes("lib/events/")) return "building statements";
  if (url.includes("lib/sync/")) return "engine (runner, page)";
  if (url.includes("lib/webhooks/") || url.includes("lib/crypto")) return "webhooks (bodies, signing, secrets)";
  if (url.includes("lib/jobs/")) return "sync jobs (walk, run stream)";
  if (functionName === "parse" && url === "") return "JSON.parse";
  return null;
}

/** A CPU profile's time by category: each sample counts for the innermost frame that has one. */
export function profileByCategory(profile: CpuProfile): Record<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const category = new Map<number, string>();
  const visit = (id: number, inherited: string) => {
    const node = byId.get(id)!;
    const own = frameCategory(node.callFrame) ?? inherited;
    category.set(id, own);
    for (const child of node.children ?? []) visit(child, own);
  };
  visit(profile.nodes[0].id, "other (Node.js, tsx, timers)");
  const totals: Record<string, number> = {};
  profile.samples.forEach((id, i) => {
    const name = category.get(id)!;
    totals[name] = (totals[name] ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000;
  });
  const sum = Object.values(totals).reduce((a, b) => a + b, 0);
  return Object.fromEntries(
    Object.entries(totals)
      .sort((a, b) => b[1] - a[1])
      .map(([name, ms]) => [name, Number((ms / sum).toFixed(3))]),
  );
}
