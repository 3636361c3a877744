// What `npm run dev` and `npm start` share: check the configuration, bring the database up and migrate
// it, create the demo organization on first start, then run Next.js with the database URL. A
// configuration problem ends the process with one line, never a stack trace.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError, dataDir, listenHost, maskDatabaseUrl, stepBudgetMs, stepsPerFunction } from "@/lib/config";
import { loadSecretKey } from "@/lib/crypto";
import { startDatabase, type RunningDatabase } from "@/lib/db/bootstrap";
import { createDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { ensureDemoData, type CreatedAdmin } from "@/lib/db/seed";
import { sandboxPort, startDemoSandbox } from "@/lib/sandbox/standalone";
import type { SandboxServer } from "@/lib/sandbox/server";
import { ensureDemoConnections } from "@/lib/sync/demo";
import { createSyncEngine, sharedLimiter, type SyncEngine } from "@/lib/sync/engine";
import { parseApiRateLimit } from "@/lib/api/rate-limit";
import { parseProxyHops } from "@/lib/auth/client-ip";
import { startWorker, type Worker } from "@/lib/worker/worker";
import { inngestMode } from "@/inngest/client";
import { pipeChildOutput, redactProcessOutput } from "@/lib/log/redact";

type Mode = "dev" | "start";

const log = (line: string) => console.log(`[tributary] ${line}`);

export async function launch(mode: Mode): Promise<void> {
  // Tokens and passwords in anything this process prints (worker, sandbox, errors) are redacted.
  redactProcessOutput();
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  if (mode === "start") (process.env as Record<string, string>).NODE_ENV = "production";
  const port = parsePort(process.env.PORT);
  const host = listenHost(mode);
  const baseUrl = process.env.NEXTAUTH_URL || `http://localhost:${port}`;
  loadSecretKey({ warn: log });
  // A bad value fails here, at start, rather than as a 500 on the first API request.
  parseApiRateLimit(process.env.TRIBUTARY_API_RATE_LIMIT);
  parseProxyHops(process.env.TRIBUTARY_PROXY_HOPS);
  stepsPerFunction();
  stepBudgetMs();
  if (mode === "start" && !existsSync(path.resolve(process.env.TRIBUTARY_NEXT_DIST_DIR || ".next", "BUILD_ID"))) {
    throw new ConfigError("No production build found: run `npm run build` before `npm start`");
  }
  const database = await startDatabase();
  let sandbox: SandboxServer | null = null;
  let worker: Worker | null = null;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await worker?.stop().catch(() => {});
    await sandbox?.stop().catch(() => {});
    await database.stop().catch(() => {});
    process.exit(code);
  };

  try {
    log(
      database.embedded
        ? `Embedded PostgreSQL (PGlite) at ${maskDatabaseUrl(database.url)} (password: ${database.passwordSource})`
        : "Using PostgreSQL from DATABASE_URL",
    );
    const { applied } = await applyMigrations(database.url);
    log(applied.length ? `Applied migrations: ${applied.join(", ")}` : "Database schema is up to date");
    const admin = await seed(database);
    if (admin) printCredentials(admin, baseUrl);
    sandbox = await startSandbox();
  } catch (error) {
    await database.stop().catch(() => {});
    throw error;
  }

  const db = createDb(database.url);
  const engine = createSyncEngine({ db, sandboxUrl: sandbox?.url ?? null, appUrl: baseUrl, limiter: sharedLimiter(db) });
  const demo = await ensureDemoConnections(engine).catch((error: unknown) => {
    log(`Demo connections were not created: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  });
  if (demo.length) log(`Created ${demo.length} demo connections to the sandbox platforms; they sync in the background`);
  worker = startEmbeddedWorker(engine);

  const nextBin = path.resolve("node_modules", ".bin", "next");
  const child = spawn(nextBin, [mode === "dev" ? "dev" : "start", "--port", String(port), ...(host ? ["--hostname", host] : [])], {
    // Next logs every request's URL, query string included: its output goes through the redactor.
    stdio: ["inherit", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      NEXTAUTH_URL: baseUrl,
      ...(sandbox ? { TRIBUTARY_SANDBOX_URL: sandbox.url } : {}),
      NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import ${pathToFileURL(path.resolve("scripts", "next-preload.mjs")).href}`].filter(Boolean).join(" "),
      // Piped output is not a terminal; keep Next's colours when ours is one.
      ...(process.stdout.isTTY && !process.env.NO_COLOR && !process.env.FORCE_COLOR ? { FORCE_COLOR: "1" } : {}),
    },
  });
  // Its last lines are written before we stop (a grandchild holding the pipes open gets 2 s).
  const output = Promise.race([pipeChildOutput(child), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  child.on("exit", (code, signal) => void output.then(() => shutdown(code ?? (signal ? 0 : 1))));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      child.kill(signal);
    });
  }
}

/** The embedded worker, unless Inngest is configured to run the work (INNGEST_DEV or Inngest keys). */
function startEmbeddedWorker(engine: SyncEngine): Worker | null {
  const mode = inngestMode();
  if (mode !== "embedded") {
    log(`Inngest (${mode === "dev" ? "dev server" : "INNGEST_EVENT_KEY"}) runs syncs; the embedded worker is off`);
    return null;
  }
  const worker = startWorker(engine, { concurrency: Number(process.env.TRIBUTARY_WORKER_CONCURRENCY ?? 4), log: (line) => log(line) });
  log(`Embedded worker ${worker.owner} is syncing connections (set INNGEST_DEV=1 or Inngest keys to use Inngest instead)`);
  return worker;
}

/** The emulated platforms behind the sandbox environment; TRIBUTARY_SANDBOX=off leaves them out. */
async function startSandbox(): Promise<SandboxServer | null> {
  if (process.env.TRIBUTARY_SANDBOX === "off") return null;
  const port = sandboxPort();
  try {
    const sandbox = await startDemoSandbox({ port, stateFile: path.join(dataDir(), "sandbox.json") });
    log(`Sandbox platforms (Shopify, QuickBooks Online, Zendesk emulators) at ${sandbox.url}`);
    return sandbox;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      reason.includes("EADDRINUSE")
        ? `Port ${port} for the sandbox platforms is in use: set TRIBUTARY_SANDBOX_PORT to a free port`
        : `The sandbox platforms could not start: ${reason}`,
    );
  }
}

async function seed(database: RunningDatabase): Promise<CreatedAdmin | null> {
  const db = createDb(database.url, { max: 2 });
  try {
    return await ensureDemoData(db);
  } finally {
    await db.$disconnect();
  }
}

function parsePort(raw: string | undefined): number {
  if (!raw) return 3000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError(`PORT must be a port number, got "${raw}"`);
  return port;
}

function printCredentials(admin: CreatedAdmin, baseUrl: string): void {
  const lines = [
    `Created the ${admin.organizationName} organization and its admin user.`,
    `Sign in at ${baseUrl}/sign-in with`,
    `  email:    ${admin.email}`,
    ...(admin.password
      ? [`  password: ${admin.password}`, "This password is temporary: you choose your own at the first sign-in."]
      : ["  password: the one in TRIBUTARY_ADMIN_PASSWORD"]),
  ];
  const width = Math.max(...lines.map((line) => line.length)) + 2;
  console.log(`\n┌${"─".repeat(width)}┐`);
  for (const line of lines) console.log(`│ ${line.padEnd(width - 1)}│`);
  console.log(`└${"─".repeat(width)}┘\n`);
}

/** Entry point for the scripts: one line on stderr and exit 1 for anything that stops the start. */
export function run(mode: Mode): void {
  launch(mode).catch((error: unknown) => {
    if (error instanceof ConfigError) console.error(`✖ ${error.message}`);
    else console.error(`✖ Tributary could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
