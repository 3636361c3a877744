// Configuration read from the environment, in one place. Every variable is documented in README.md.
import { isIP } from "node:net";
import path from "node:path";

/** A configuration problem the operator must fix: printed as one line, never as a stack trace. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export const isProduction = () => process.env.NODE_ENV === "production";

/** Where the embedded database, the development secret key and other local state live. */
export function dataDir(): string {
  // Resolved at run time: the build must not trace the project directory into the server bundle.
  return path.resolve(/*turbopackIgnore: true*/ process.env.TRIBUTARY_DATA_DIR || ".data");
}

/**
 * The address the app listens on: TRIBUTARY_HOST, else 127.0.0.1 for `npm run dev` (a development
 * server, whose Inngest endpoint is unsigned, is for this machine only) and null for `npm start`:
 * every interface, as a production server behind a proxy or in a container needs.
 */
export function listenHost(mode: "dev" | "start", env: Record<string, string | undefined> = process.env): string | null {
  const raw = env.TRIBUTARY_HOST?.trim();
  if (!raw) return mode === "dev" ? "127.0.0.1" : null;
  if (isIP(raw) || /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(raw)) return raw;
  throw new ConfigError(`TRIBUTARY_HOST must be an address or a host name (127.0.0.1, 0.0.0.0, ::), got "${raw}"`);
}

/** The embedded database's port when DATABASE_URL is unset. */
export function embeddedDatabasePort(): number {
  const raw = process.env.TRIBUTARY_EMBEDDED_DB_PORT;
  if (!raw) return 54329;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`TRIBUTARY_EMBEDDED_DB_PORT must be a port number (1-65535), got "${raw}"`);
  }
  return port;
}

/** The URL of the database the app talks to; set by scripts/dev.ts and scripts/start.ts for the embedded one. */
export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new ConfigError("DATABASE_URL is not set: start Tributary with `npm run dev` or `npm start`, or set DATABASE_URL");
  }
  return url;
}

/** A database URL safe to print: the password replaced by ***. */
export function maskDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "<unparseable DATABASE_URL>";
  }
}

/** Checks DATABASE_URL's form before anything tries to connect with it. */
export function validateDatabaseUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError("DATABASE_URL is not a valid URL: expected postgresql://user:password@host:5432/database");
  }
  if (parsed.protocol !== "postgresql:" && parsed.protocol !== "postgres:") {
    throw new ConfigError(`DATABASE_URL must start with postgresql://, got ${parsed.protocol}//`);
  }
}

/** Inngest's own limit of steps in one function run (inngest.com/docs/usage-limits/inngest). */
export const INNGEST_MAX_STEPS = 1000;

/**
 * Inngest only: steps a connection-sync or sync-job-run function run takes before it continues in a
 * new run (TRIBUTARY_STEPS_PER_FUNCTION, default 500): well under Inngest's 1,000, and a run state
 * Inngest replays on every call stays small. Read at start (scripts/launch.ts) and by each function.
 */
export function stepsPerFunction(env: Record<string, string | undefined> = process.env): number {
  const raw = env.TRIBUTARY_STEPS_PER_FUNCTION;
  const value = raw === undefined || raw.trim() === "" ? 500 : Number(raw);
  if (!Number.isInteger(value) || value < 4 || value > INNGEST_MAX_STEPS - 10)
    throw new ConfigError(`TRIBUTARY_STEPS_PER_FUNCTION must be a whole number from 4 to ${INNGEST_MAX_STEPS - 10}, got "${raw}"`);
  return value;
}

/**
 * Inngest only: how long one step of a long function writes before it ends (TRIBUTARY_STEP_BUDGET_MS,
 * default 20 s), so a retried step repeats at most that much work. 1 ms to 15 minutes.
 */
export function stepBudgetMs(env: Record<string, string | undefined> = process.env): number {
  const raw = env.TRIBUTARY_STEP_BUDGET_MS;
  const value = raw === undefined || raw.trim() === "" ? 20_000 : Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 900_000)
    throw new ConfigError(`TRIBUTARY_STEP_BUDGET_MS must be a whole number of milliseconds from 1 to 900000, got "${raw}"`);
  return value;
}
