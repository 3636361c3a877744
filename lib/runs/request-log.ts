// A sync run's platform requests, for its run page: what was sent, how it was answered and how long
// it took. Recording must not slow ingest, so requests are buffered in memory and written one
// statement per FLUSH_EVERY, in the background (the run waits only for the last write, at its end),
// and a run keeps a bounded log: its first HEAD requests, its last TAIL and every failure; the rest
// are only counted (by the run's stats.requests, which the page compares with the rows kept).
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { redact } from "@/lib/log/redact";

export const HEAD = 1000;
export const TAIL = 1000;
const FLUSH_EVERY = 100;

/** One request as the platform session saw it (platform-session.ts, SessionOptions.onResponse). */
export interface PlatformRequestEntry {
  object: string | null;
  method: string;
  /** The full URL; only its path and query are stored, redacted. */
  url: string;
  status: number | null;
  latencyMs: number;
  attempt: number;
  rateLimited: boolean;
  bytes: number | null;
  error: string | null;
  sentAt: Date;
  /** Credential values the request may carry in its URL (the session's own), removed whatever their parameter's name. */
  secrets: readonly string[];
}

interface Row extends Omit<PlatformRequestEntry, "url" | "secrets"> {
  seq: number;
  path: string;
}

const REDACTED = "[redacted]";

/** Path and query of a request URL with its credentials replaced: by parameter name or token shape (lib/log/redact.ts), and the session's own values. */
export function redactRequestPath(url: string, secrets: readonly string[] = []): string {
  let path: string;
  try {
    const parsed = new URL(url);
    path = parsed.pathname + parsed.search;
  } catch {
    path = url;
  }
  for (const secret of secrets) {
    // Short values (a 4-digit id) would blank out ordinary path segments; no credential is that short.
    if (secret.length < 8) continue;
    path = path.split(secret).join(REDACTED).split(encodeURIComponent(secret)).join(REDACTED);
  }
  return redact(path);
}

const isFailure = (row: Pick<Row, "status" | "rateLimited">) => row.status === null || row.status >= 400 || row.rateLimited;

export interface RequestLog {
  record(entry: PlatformRequestEntry): void;
  /** Writes what is buffered, the kept tail included; the run calls it when it stops (ends, pauses, yields). */
  close(): Promise<void>;
}

/**
 * The log of one execution of a run. `alreadySent` is the run's request count before this execution
 * (a resumed run): the head is the run's first HEAD requests, not each execution's.
 */
export function openRequestLog(db: Db, syncRunId: string, alreadySent: number, onError: (error: unknown) => void = () => undefined): RequestLog {
  let seq = alreadySent;
  let pending: Row[] = [];
  // The newest successful requests past the head; the oldest one falls out when it is full.
  let tail: Row[] = [];
  let writing: Promise<void> = Promise.resolve();

  const write = (rows: Row[]) => {
    if (rows.length === 0) return;
    writing = writing.then(() => insertRows(db, syncRunId, rows)).catch(onError);
  };

  return {
    record(entry) {
      const row: Row = {
        seq: ++seq,
        object: entry.object,
        method: entry.method,
        path: redactRequestPath(entry.url, entry.secrets),
        status: entry.status,
        latencyMs: Math.round(entry.latencyMs),
        attempt: entry.attempt,
        rateLimited: entry.rateLimited,
        bytes: entry.bytes,
        error: entry.error === null ? null : redact(entry.error).slice(0, 500),
        sentAt: entry.sentAt,
      };
      if (row.seq <= HEAD || isFailure(row)) pending.push(row);
      else {
        tail.push(row);
        if (tail.length > TAIL) tail.shift();
      }
      if (pending.length >= FLUSH_EVERY) {
        write(pending);
        pending = [];
      }
    },
    async close() {
      write([...pending, ...tail].sort((a, b) => a.seq - b.seq));
      pending = [];
      tail = [];
      await writing;
    },
  };
}

/** One statement for a batch: its columns as arrays, unnested. */
async function insertRows(db: Db, syncRunId: string, rows: Row[]): Promise<void> {
  await db.$executeRaw(Prisma.sql`
    insert into platform_requests (sync_run_id, seq, object, method, path, status, latency_ms, attempt, rate_limited, bytes, error, sent_at)
    select ${syncRunId}, t.* from unnest(
      ${rows.map((r) => r.seq)}::int[], ${rows.map((r) => r.object)}::text[], ${rows.map((r) => r.method)}::text[], ${rows.map((r) => r.path)}::text[],
      ${rows.map((r) => r.status)}::int[], ${rows.map((r) => r.latencyMs)}::int[], ${rows.map((r) => r.attempt)}::int[], ${rows.map((r) => r.rateLimited)}::boolean[],
      ${rows.map((r) => r.bytes)}::int[], ${rows.map((r) => r.error)}::text[], ${rows.map((r) => r.sentAt.toISOString())}::timestamptz[]
    ) as t`);
}
