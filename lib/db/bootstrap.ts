// Brings the database up before the app starts: the embedded PGlite (when DATABASE_URL is unset)
// or the configured PostgreSQL, reachable and migrated. Used by scripts/dev.ts and scripts/start.ts.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { ConfigError, dataDir, embeddedDatabasePort, maskDatabaseUrl, validateDatabaseUrl } from "@/lib/config";
import { startEmbeddedPostgres } from "./embedded";

export interface RunningDatabase {
  url: string;
  embedded: boolean;
  /** For the embedded database: where its password comes from, to say so instead of printing it. */
  passwordSource?: string;
  stop(): Promise<void>;
}

export async function startDatabase(env: NodeJS.ProcessEnv = process.env): Promise<RunningDatabase> {
  if (env.DATABASE_URL) {
    const url = env.DATABASE_URL;
    validateDatabaseUrl(url);
    await checkReachable(url);
    return { url, embedded: false, stop: async () => {} };
  }
  return startEmbedded();
}

/** Opens one connection and closes it, so a wrong URL fails here with one clear line. */
export async function checkReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("select 1");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`Cannot reach the database at ${maskDatabaseUrl(url)}: ${reason || "connection failed"}`);
  } finally {
    await client.end().catch(() => {});
  }
}

async function startEmbedded(): Promise<RunningDatabase> {
  const dir = path.join(dataDir(), "pglite");
  mkdirSync(dir, { recursive: true });
  const releaseLock = acquireLock(path.join(dataDir(), "pglite.lock"));
  const port = embeddedDatabasePort();
  try {
    const { password, source } = embeddedDatabasePassword();
    const db = await startEmbeddedPostgres({ dataDir: dir, port, password });
    return {
      url: db.url,
      embedded: true,
      passwordSource: source,
      async stop() {
        await db.stop();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    const reason = error instanceof Error ? error.message : String(error);
    if (reason.includes("EADDRINUSE")) {
      throw new ConfigError(`Port ${port} for the embedded database is in use: set TRIBUTARY_EMBEDDED_DB_PORT to a free port`);
    }
    throw new ConfigError(`The embedded database in ${dir} could not start: ${reason}`);
  }
}

export function embeddedPasswordPath(): string {
  return path.join(dataDir(), "pglite.password");
}

/**
 * The embedded database's password: TRIBUTARY_EMBEDDED_DB_PASSWORD, else one generated into the data
 * directory on the first start (readable by its owner only), so psql and `npm run worker` can use it
 * and a restart keeps it.
 */
export function embeddedDatabasePassword(env: Record<string, string | undefined> = process.env): { password: string; source: string } {
  if (env.TRIBUTARY_EMBEDDED_DB_PASSWORD) return { password: env.TRIBUTARY_EMBEDDED_DB_PASSWORD, source: "TRIBUTARY_EMBEDDED_DB_PASSWORD" };
  const file = embeddedPasswordPath();
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      // "wx" fails if another process created the file meanwhile; then read theirs.
      writeFileSync(file, randomBytes(24).toString("base64url") + "\n", { mode: 0o600, flag: "wx" });
    } catch {
      // read below
    }
  }
  const password = readFileSync(file, "utf8").trim();
  if (!password) throw new ConfigError(`${file} is empty: delete it to generate a new password, or set TRIBUTARY_EMBEDDED_DB_PASSWORD`);
  return { password, source: file };
}

/** PGlite's files belong to one process: a second Tributary on the same data directory must not open them. */
function acquireLock(file: string): () => void {
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, "utf8").trim());
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new ConfigError(
        `Another Tributary process (pid ${pid}) is using the embedded database in ${path.dirname(file)}: stop it first, or set TRIBUTARY_DATA_DIR`,
      );
    }
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
