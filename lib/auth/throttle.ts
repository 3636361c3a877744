// Sign-in throttling, per account (the email as typed, whether or not it has an account, so the lock
// reveals nothing) and per client address, in PostgreSQL so every app process shares it.
//
// The policy, per key: the first `limit - 1` failures cost nothing; the `limit`-th locks the key for
// `firstLockMs`, and each further failure doubles the lock, up to `maxLockMs`. Failures are forgotten
// `forgetAfterMs` after the later of the last failure and the end of its lock. While a key is locked,
// attempts are refused before the password is looked at, and they do not count (the message "try again
// in N minutes" stays true). A successful sign-in clears the account's key; the address keeps its
// other failures (one good account must not launder a spray of guesses at others).
//
// Attempts are counted when they start, not when they fail: a key's row is locked, checked and
// incremented in one transaction before the password is verified, so a burst of parallel guesses
// cannot all pass the check while the first ones are still hashing. A success then takes its count
// back. The lock is derived from (failures, last_failure_at), never stored, so taking a count back
// also takes back the lock it may have started.
import type { Db } from "@/lib/db/client";

export interface KeyPolicy {
  limit: number;
  firstLockMs: number;
  maxLockMs: number;
}

const MINUTE = 60_000;

export const SIGN_IN_THROTTLE = {
  account: { limit: 5, firstLockMs: MINUTE, maxLockMs: 15 * MINUTE },
  address: { limit: 20, firstLockMs: MINUTE, maxLockMs: 60 * MINUTE },
  forgetAfterMs: 60 * MINUTE,
} as const;

// A row is dead once its longest possible lock has ended and the forget window passed.
const DEAD_AFTER_MS = Math.max(SIGN_IN_THROTTLE.account.maxLockMs, SIGN_IN_THROTTLE.address.maxLockMs) + SIGN_IN_THROTTLE.forgetAfterMs;

export interface ThrottleState {
  failures: number;
  lastFailureAt: Date;
}

/** When the key is locked until, or null: a pure function of its state. */
export function lockedUntil(policy: KeyPolicy, state: ThrottleState): Date | null {
  if (state.failures < policy.limit) return null;
  const lockMs = Math.min(policy.firstLockMs * 2 ** Math.min(state.failures - policy.limit, 30), policy.maxLockMs);
  return new Date(state.lastFailureAt.getTime() + lockMs);
}

/** The count that applies now: zero once the failures are forgotten. */
export function currentFailures(policy: KeyPolicy, state: ThrottleState, now: Date): number {
  const quietSince = lockedUntil(policy, state) ?? state.lastFailureAt;
  return now.getTime() >= quietSince.getTime() + SIGN_IN_THROTTLE.forgetAfterMs ? 0 : state.failures;
}

export interface ThrottleSubject {
  email: string;
  /** The client's address as lib/auth/client-ip.ts keys it. */
  address: string;
}

type Scope = "account" | "address";

function keysOf(subject: ThrottleSubject): { key: string; scope: Scope; policy: KeyPolicy }[] {
  // Sorted by key, so two attempts lock the same rows in the same order and cannot deadlock.
  return [
    { key: `email:${subject.email}`, scope: "account" as const, policy: SIGN_IN_THROTTLE.account },
    { key: `ip:${subject.address}`, scope: "address" as const, policy: SIGN_IN_THROTTLE.address },
  ].sort((a, b) => (a.key < b.key ? -1 : 1));
}

export type Admission =
  | { admitted: true; subject: ThrottleSubject; counted: { key: string; scope: Scope; previous: ThrottleState; at: Date }[] }
  | { admitted: false; scope: Scope; failures: number; lockedUntil: Date; retryAfterSeconds: number };

/** Counts an attempt against the account and the address, or refuses it when either is locked. */
export async function admitAttempt(db: Db, subject: ThrottleSubject, now: Date = new Date()): Promise<Admission> {
  const keys = keysOf(subject);
  const [first, second] = keys;
  // Two statements under the rows' locks: an upsert that locks (creating what is missing) and reads,
  // then one update of both counts. Parallel attempts on a key queue on its row for that long only;
  // the embedded PGlite runs transactions one at a time, so a burst waits for a connection up to maxWait.
  const admission = await db.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<{ key: string; failures: number; last_failure_at: Date }[]>`
        insert into sign_in_throttles as t (key, failures, last_failure_at)
        values (${first.key}, 0, ${now}), (${second.key}, 0, ${now})
        on conflict (key) do update set failures = t.failures
        returning key, failures, last_failure_at`;
      const states = new Map(rows.map((row) => [row.key, { failures: row.failures, lastFailureAt: row.last_failure_at }]));
      for (const { key, scope, policy } of keys) {
        const state = states.get(key)!;
        const until = lockedUntil(policy, state);
        if (until && until > now) {
          return {
            admitted: false,
            scope,
            failures: state.failures,
            lockedUntil: until,
            retryAfterSeconds: Math.ceil((until.getTime() - now.getTime()) / 1000),
          } as const;
        }
      }
      const counted = keys.map(({ key, scope, policy }) => ({
        key,
        scope,
        previous: states.get(key)!,
        at: now,
        failures: currentFailures(policy, states.get(key)!, now) + 1,
      }));
      await tx.$executeRaw`
        update sign_in_throttles as t set failures = v.failures, last_failure_at = ${now}
        from (values (${counted[0].key}, ${counted[0].failures}::int), (${counted[1].key}, ${counted[1].failures}::int)) as v (key, failures)
        where t.key = v.key`;
      return { admitted: true, subject, counted: counted.map(({ key, scope, previous, at }) => ({ key, scope, previous, at })) } as const;
    },
    { maxWait: 15_000, timeout: 15_000 },
  );
  // Dead rows go when a key starts afresh (a success deleted an account's row, or a new email or address).
  if (admission.admitted && admission.counted.some(({ previous }) => previous.failures === 0)) {
    await db.signInThrottle.deleteMany({ where: { lastFailureAt: { lt: new Date(now.getTime() - DEAD_AFTER_MS) } } });
  }
  return admission;
}

/** After a successful attempt: the account's failures are cleared, the address gets its count back. */
export async function forgiveAttempt(db: Db, admission: Admission & { admitted: true }): Promise<void> {
  for (const { key, scope, previous, at } of admission.counted) {
    if (scope === "account") {
      await db.signInThrottle.deleteMany({ where: { key } });
    } else {
      // Put back the previous time only if no other attempt counted since (it would have moved it).
      await db.$executeRaw`
        update sign_in_throttles
        set failures = greatest(failures - 1, 0),
            last_failure_at = case when last_failure_at = ${at} then ${previous.lastFailureAt} else last_failure_at end
        where key = ${key}`;
    }
  }
}
