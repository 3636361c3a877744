// Deleting a lot without holding anything long: one DELETE of at most `limit` rows per statement, each
// its own transaction, so its row locks last as long as the statement. The limit follows the time a
// statement takes, aiming at TARGET_MS (rows carry cascades and triggers of different weights: an event
// is a row, a sync run brings its request log), within [MIN_ROWS, MAX_ROWS]. A run stops at its time
// budget or when the caller asks; what is left is taken up by the next run. On PGlite, whose one
// session serves every query in turn, each statement is followed by a pause as long as it took, so
// the API's queries get their turn between two (on PostgreSQL they run beside it).
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

export const TARGET_MS = 100;
const MIN_ROWS = 10;
const MAX_ROWS = 10_000;

export interface Batch {
  /** What was deleted: `records`, `events`, `deliveries`, …. */
  kind: string;
  rows: number;
  ms: number;
}

export interface BatchBudget {
  /** Milliseconds since the epoch after which no new statement starts. */
  deadline: number;
  /** Asked before each statement: true stops the run (a worker shutting down, a lease lost). */
  shouldYield?: () => boolean;
  /** Told of each statement (tests measure lock time with it; the worker logs slow ones). */
  onBatch?: (batch: Batch) => void;
  /** The pause after a statement, as a share of its time (sharing: PGlite's one session). */
  pause?: number;
}

const sharing = new WeakMap<Db, Promise<boolean>>();

/** Whether the database serves every query through one session (PGlite), so a long statement holds up all others. */
export function servesOneSession(db: Db): Promise<boolean> {
  let known = sharing.get(db);
  if (!known) {
    known = db.$queryRaw<{ version: string }[]>`select version()`.then(([row]) => row.version.includes("PGlite"));
    sharing.set(db, known);
  }
  return known;
}

export async function budgetFor(db: Db, budgetMs: number, input: Omit<BatchBudget, "deadline" | "pause"> = {}): Promise<BatchBudget> {
  return { ...input, deadline: Date.now() + budgetMs, pause: (await servesOneSession(db)) ? 1 : 0 };
}

export const outOfTime = (budget: BatchBudget) => Date.now() >= budget.deadline || (budget.shouldYield?.() ?? false);

/**
 * Runs `statement(limit)` (which deletes up to `limit` rows and says how many) until it deletes fewer
 * than it was allowed or the budget ends. True when drained.
 */
export async function drain(
  kind: string,
  budget: BatchBudget,
  statement: (limit: number) => Promise<number>,
  into: { removed: Record<string, number> },
  start = 500,
): Promise<boolean> {
  let limit = start;
  for (;;) {
    if (outOfTime(budget)) return false;
    const began = performance.now();
    const rows = await statement(limit);
    const ms = performance.now() - began;
    budget.onBatch?.({ kind, rows, ms });
    into.removed[kind] = (into.removed[kind] ?? 0) + rows;
    if (rows < limit) return true;
    if (budget.pause) await new Promise((resolve) => setTimeout(resolve, ms * (budget.pause ?? 0)));
    if (ms < TARGET_MS / 2) limit = Math.min(MAX_ROWS, limit * 2);
    else if (ms > TARGET_MS * 2) limit = Math.max(MIN_ROWS, Math.floor(limit / 2));
  }
}

/**
 * Runs `sql` with sorts and bitmap scans off, in a transaction of its own: the one plan left for a
 * statement ordered like an index, with a LIMIT, is that index's scan, which starts at the statement's
 * lower bound and stops at its LIMIT. The planner otherwise chose, on statistics that did not yet know
 * a big load, to collect every one of a connection's rows (deleted ones too) and sort them, every
 * statement: 300,000 records took 370 ms a statement of 5,000, growing as the deleted ones piled up.
 */
export async function inIndexOrder<T>(db: Db, sql: Prisma.Sql): Promise<T[]> {
  const [, , rows] = await db.$transaction([
    db.$executeRaw`set local enable_sort = off`,
    db.$executeRaw`set local enable_bitmapscan = off`,
    db.$queryRaw<T[]>(sql),
  ]);
  return rows;
}

/**
 * A drain that walks an index: each statement deletes up to `limit` rows from `after` on (null: from
 * the start) in the index's order and answers how many it deleted and the key of the last, where the
 * next one starts — past the index entries of rows already deleted, which vacuum has not cleared yet.
 */
export async function drainInOrder<K>(
  kind: string,
  budget: BatchBudget,
  db: Db,
  statement: (limit: number, after: K | null) => Prisma.Sql,
  last: (row: { n: number } & Record<string, unknown>) => K | null,
  into: { removed: Record<string, number> },
  start = 500,
): Promise<boolean> {
  let after: K | null = null;
  return drain(
    kind,
    budget,
    async (limit) => {
      const [row] = await inIndexOrder<{ n: number } & Record<string, unknown>>(db, statement(limit, after));
      after = last(row) ?? after;
      return row.n;
    },
    into,
    start,
  );
}
