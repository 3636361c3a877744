// Token buckets, the one mechanism behind every rate limit Tributary keeps: the public API's limit per
// organization and environment (lib/api/rate-limit.ts), platform budgets and each connection's
// platform allowance with its Retry-After blocks (lib/sync/limiter.ts).
//
// A bucket holds up to `capacity` tokens, refilled at `perSecond`. Two ways to take:
// - take: the tokens are taken if they are there, else nothing is and the answer says when they
//   will be (the API refuses with 429 and Retry-After);
// - reserve: the tokens are always taken, the level may go below zero, and the answer says how long
//   to wait before using them (platform requests wait their turn rather than fail). A reservation
//   queues in the bucket itself: whoever reserves next waits behind it, in whichever process;
//   reserveAll reserves in several buckets at once (a connection's and its platform's budget) and
//   waits for the last of them.
//
// Where the level lives:
// - sharedBuckets(db): in PostgreSQL (rate_limit_buckets), so every process behind a load balancer and
//   every worker spends the same buckets. Each take is one INSERT … ON CONFLICT DO UPDATE … RETURNING
//   that refills the row by the database's clock and takes in the same statement; the row lock
//   orders concurrent takes; a reserveAll is one statement too, whatever the number of buckets. The
//   table is UNLOGGED (a lost bucket is a full one), so a take's commit does not wait for a WAL flush.
//   bench:limits, local PostgreSQL: 87 µs a take one at a time beside 47 µs for a `select 1` round
//   trip; 16 at once, 10,700 takes/s on one key and 14,000 on 1,000 keys beside 30,900 `select 1`/s;
//   64-72 µs of PostgreSQL's CPU a take. A platform request under a budget (reserveAll of its
//   connection's bucket and the budget's) 127 µs, where two reservations one after the other take
//   141; 9,900/s for 1,000 connections on one budget. On PGlite 436 µs a take, 533 µs a request
//   under a budget against 889 for two reservations.
//   A database error falls back to this process's own buckets (memoryBuckets) with a log line, at
//   most once a minute: limits then hold per process (N processes, N times the limit) until the
//   database answers again, rather than the API or the syncs stopping because a limiter could not
//   count. (If the database is down the API's authentication fails first anyway.)
//   Rows of idle buckets are deleted once they have been full for a minute (a full bucket is the same
//   as no row), by each process at most once a minute, so the table holds the buckets in use.
// - memoryBuckets(clock): in this process (TokenBucket): the fallback above, and the model the unit
//   tests drive on a fake clock.
import type pg from "pg";
import { rawPool, type Db } from "./client";

/** A bucket's shape: `capacity` units, refilled at `perSecond` (requests and their burst, or points and their restore rate). */
export interface BucketShape {
  perSecond: number;
  capacity: number;
}

export interface Reservation {
  key: string;
  shape: BucketShape;
  /** Default 1. */
  amount?: number;
}

export interface Taken {
  granted: boolean;
  /** The level after the take (whole or not; below zero after reservations or a block). */
  level: number;
  /** When refused: milliseconds until the amount is there. */
  waitMs: number;
}

export interface Buckets {
  /** Takes `amount` from `key`'s bucket if it is there (more than the capacity: a full bucket). */
  take(key: string, shape: BucketShape, amount?: number): Promise<Taken>;
  /** Takes `amount` from `key`'s bucket whatever its level; resolves with the milliseconds to wait before using it. */
  reserve(key: string, shape: BucketShape, amount?: number): Promise<number>;
  /**
   * Reserves in every bucket of `takes` (distinct keys) at once; resolves with the milliseconds to
   * wait before using them all, the longest of their waits. Callers list keys in one order (a
   * connection's before its platform's), so that statements reserving in the same rows lock them in
   * the same order and never deadlock.
   */
  reserveAll(takes: readonly Reservation[]): Promise<number>;
  /** The platform said to wait (Retry-After): nothing is granted before `ms` from now, and the bucket restarts empty then. */
  block(key: string, shape: BucketShape, ms: number): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A token bucket of `capacity` tokens refilled at `perSecond`; its level may go below zero when the platform says it is. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private blockedUntil = 0;

  constructor(
    private shape: BucketShape,
    private readonly clock: () => number = Date.now,
  ) {
    this.tokens = shape.capacity;
    this.last = clock();
  }

  get capacity(): number {
    return this.shape.capacity;
  }

  /** The level now, refilled up to this instant. */
  level(): number {
    const now = this.clock();
    if (now > this.last) {
      this.tokens = Math.min(this.shape.capacity, this.tokens + ((now - this.last) / 1000) * this.shape.perSecond);
      this.last = now;
    }
    return this.tokens;
  }

  /**
   * Takes `amount` tokens and returns 0, or returns how many milliseconds until they are there.
   * More than the capacity can never be there: such a take waits for a full bucket and empties it.
   */
  tryTake(amount = 1): number {
    const now = this.clock();
    if (now < this.blockedUntil) return this.blockedUntil - now;
    const needed = Math.min(amount, this.shape.capacity);
    const tokens = this.level();
    if (tokens >= needed) {
      this.tokens -= needed;
      return 0;
    }
    return Math.max(1, Math.ceil(((needed - tokens) / this.shape.perSecond) * 1000));
  }

  /** Gives back tokens taken but not used (a query that cost less than it asked for). */
  refund(amount: number): void {
    this.tokens = Math.min(this.shape.capacity, this.level() + amount);
  }

  /** The platform told its own level and shape: the model takes them over from now on. */
  observe(level: number, shape: BucketShape = this.shape): void {
    this.shape = shape;
    this.tokens = Math.min(shape.capacity, level);
    this.last = Math.max(this.last, this.clock());
  }

  /** The platform said to wait (Retry-After): nothing passes before then, and the bucket restarts empty. */
  block(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.clock() + ms);
    this.tokens = 0;
    this.last = this.blockedUntil;
  }
}

/** Buckets in this process, on `clock`: a reservation waits here until its tokens are there. */
export function memoryBuckets(clock: () => number = Date.now): Buckets {
  const buckets = new Map<string, TokenBucket>();
  const bucket = (key: string, shape: BucketShape) => {
    let found = buckets.get(key);
    if (!found) {
      // Buckets of keys that went quiet are full again and carry no information.
      if (buckets.size >= PRUNE_ABOVE) for (const [k, b] of buckets) if (b.level() >= b.capacity) buckets.delete(k);
      buckets.set(key, (found = new TokenBucket(shape, clock)));
    }
    return found;
  };
  const reserve = async (key: string, shape: BucketShape, amount = 1) => {
    const found = bucket(key, shape);
    for (let wait = found.tryTake(amount); wait > 0; wait = found.tryTake(amount)) await sleep(wait);
    return 0;
  };
  return {
    async take(key, shape, amount = 1) {
      const found = bucket(key, shape);
      const waitMs = found.tryTake(amount);
      return { granted: waitMs === 0, level: found.level(), waitMs };
    },
    reserve,
    // Each in turn: the tokens of one are waited for before the next is taken.
    async reserveAll(takes) {
      for (const { key, shape, amount } of takes) await reserve(key, shape, amount);
      return 0;
    },
    async block(key, shape, ms) {
      bucket(key, shape).block(ms);
    },
  };
}

const PRUNE_ABOVE = 10_000;

// The level now: the stored level refilled by the time since refilled_at, up to the capacity. A
// refilled_at ahead of now (a block, or a take whose transaction started later) counts as owed.
const LEVEL = "least(excluded.capacity, b.tokens + extract(epoch from now() - b.refilled_at)::float8 * excluded.per_second)";

// One take as one statement, of $4 tokens from bucket $1 of capacity $2 refilled at $3 per second; a
// new key starts full, less the amount. Prepared once per pooled connection (named): planned each time
// it took 255-365 µs a take on the local PostgreSQL, prepared 85-135.
const TAKE = {
  name: "rate_limit_take",
  text: `
    insert into rate_limit_buckets as b (key, capacity, per_second, tokens, refilled_at, granted)
    values ($1::text, $2::float8, $3::float8, $2::float8 - $4::float8, now(), true)
    on conflict (key) do update set
      capacity = excluded.capacity,
      per_second = excluded.per_second,
      tokens = case when ${LEVEL} >= $4::float8 then ${LEVEL} - $4::float8 else ${LEVEL} end,
      refilled_at = now(),
      granted = ${LEVEL} >= $4::float8
    returning tokens, granted`,
};

// Reservations in the buckets $1 (capacities $2, refilled at $3 per second) of $4 tokens each, as one
// statement: rows are inserted, so locked, in the order of $1. A new key starts full, less the amount;
// the amount travels as capacity less tokens, since `excluded` holds only the table's columns. One
// statement for one bucket or several: one at a time on the local PostgreSQL a reservation in one
// bucket took 152 µs against 141 for TAKE's VALUES form, in two buckets 161 against 282 for two.
const RESERVE = {
  name: "rate_limit_reserve",
  text: `
    insert into rate_limit_buckets as b (key, capacity, per_second, tokens, refilled_at, granted)
    select key, capacity, per_second, capacity - amount, now(), true
    from unnest($1::text[], $2::float8[], $3::float8[], $4::float8[]) as t (key, capacity, per_second, amount)
    on conflict (key) do update set
      capacity = excluded.capacity,
      per_second = excluded.per_second,
      tokens = ${LEVEL} - (excluded.capacity - excluded.tokens),
      refilled_at = now(),
      granted = true
    returning tokens, per_second`,
};

// A block of $4 seconds: empty until it ends, or until the reservations already made are due if later.
const BLOCK = {
  name: "rate_limit_block",
  text: `
    insert into rate_limit_buckets as b (key, capacity, per_second, tokens, refilled_at, granted)
    values ($1::text, $2::float8, $3::float8, 0, now() + make_interval(secs => $4::float8), false)
    on conflict (key) do update set
      tokens = 0,
      refilled_at = now() + make_interval(secs => greatest($4::float8, -(${LEVEL}) / excluded.per_second)),
      granted = false`,
};

// A bucket full for this long is deleted (the row of a key taken from again is written back full).
const PRUNE = `
  delete from rate_limit_buckets
  where refilled_at + make_interval(secs => (capacity - tokens) / per_second) < now() - interval '1 minute'`;

const MINUTE = 60_000;

/** Deletes the buckets that have been full for a minute; how many. */
export async function pruneSharedBuckets(db: Db): Promise<number> {
  return (await rawPool(db).query(PRUNE)).rowCount ?? 0;
}

export interface SharedBucketOptions {
  /** Where a failed statement is reported (default: stderr, at most once a minute). */
  log?: (line: string) => void;
}

const shared = new WeakMap<Db, Buckets>();

/** The buckets in `db`, one instance per client (so its fallback and pruning are per process). */
export function sharedBuckets(db: Db, options: SharedBucketOptions = {}): Buckets {
  let found = shared.get(db);
  if (!found) shared.set(db, (found = createSharedBuckets(db, options)));
  return found;
}

function createSharedBuckets(db: Db, { log = (line) => console.error(`[tributary] ${line}`) }: SharedBucketOptions): Buckets {
  const fallback = memoryBuckets();
  let failedAt = -Infinity;
  let prunedAt = Date.now();
  const failed = (error: unknown) => {
    const now = Date.now();
    if (now - failedAt < MINUTE) return;
    failedAt = now;
    log(`rate limits are counted in this process only: the shared buckets failed (${error instanceof Error ? error.message : String(error)})`);
  };
  const prune = () => {
    if (Date.now() - prunedAt < MINUTE) return;
    prunedAt = Date.now();
    pruneSharedBuckets(db).catch(failed);
  };
  // The embedded PGlite serves every pooled connection from one session, where a second connection's
  // preparing the same name fails (42P05): there the statements go unnamed.
  let named = true;
  const query = async <R extends object>(statement: { name: string; text: string }, values: unknown[]) => {
    if (!named) return rawPool(db).query<R & pg.QueryResultRow>({ text: statement.text, values });
    try {
      return await rawPool(db).query<R & pg.QueryResultRow>({ ...statement, values });
    } catch (error) {
      if ((error as { code?: string }).code !== "42P05") throw error;
      named = false;
      return rawPool(db).query<R & pg.QueryResultRow>({ text: statement.text, values });
    }
  };
  // More than the capacity can never be there: such a take waits for a full bucket and empties it.
  const needed = (shape: BucketShape, amount = 1) => Math.min(amount, shape.capacity);
  const waitMs = (short: number, perSecond: number) => (short > 0 ? Math.max(1, Math.ceil((short / perSecond) * 1000)) : 0);
  const reserveAll = async (takes: readonly Reservation[]): Promise<number> => {
    try {
      const result = await query<{ tokens: number; per_second: number }>(RESERVE, [
        takes.map((t) => t.key),
        takes.map((t) => t.shape.capacity),
        takes.map((t) => t.shape.perSecond),
        takes.map((t) => needed(t.shape, t.amount)),
      ]);
      prune();
      // Each bucket's reservation is due once its level is back to zero.
      return Math.max(0, ...result.rows.map((row) => waitMs(-row.tokens, row.per_second)));
    } catch (error) {
      failed(error);
      return fallback.reserveAll(takes);
    }
  };
  return {
    async take(key, shape, amount = 1) {
      try {
        const result = await query<{ tokens: number; granted: boolean }>(TAKE, [key, shape.capacity, shape.perSecond, needed(shape, amount)]);
        prune();
        const { tokens, granted } = result.rows[0];
        return { granted, level: tokens, waitMs: granted ? 0 : waitMs(needed(shape, amount) - tokens, shape.perSecond) };
      } catch (error) {
        failed(error);
        return fallback.take(key, shape, amount);
      }
    },
    reserve: (key, shape, amount = 1) => reserveAll([{ key, shape, amount }]),
    reserveAll,
    async block(key, shape, ms) {
      try {
        await query(BLOCK, [key, shape.capacity, shape.perSecond, ms / 1000]);
      } catch (error) {
        failed(error);
      }
      await fallback.block(key, shape, ms);
    },
  };
}
