// Sign-in throttling on a real database, through authenticate(): per account (known or not) and per
// address, backoff, forgetting, the right password refused while locked and accepted after, the log
// line, a parallel burst, and a second app process (another connection pool) seeing the same locks.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb } from "@/lib/db/client";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import { authenticate, type SignInResult } from "./credentials";
import { hashPassword } from "./password";
import { lockedUntil, SIGN_IN_THROTTLE } from "./throttle";

// Every verification sign-in makes, watched (and still done).
const verifications = vi.hoisted(() => vi.fn<(password: string, hash: string) => Promise<boolean>>());
vi.mock("./password", async (original) => {
  const real = await original<typeof import("./password")>();
  verifications.mockImplementation(real.verifyPassword);
  return { ...real, verifyPassword: verifications };
});

const PASSWORD = "correct horse battery";
const MINUTE = 60_000;

describe("the backoff", () => {
  it("locks at the limit for a minute, doubles per further failure, and stops at the cap", () => {
    const at = new Date("2026-01-01T00:00:00Z");
    const lock = (failures: number) => lockedUntil(SIGN_IN_THROTTLE.account, { failures, lastFailureAt: at })?.getTime() ?? null;
    expect([4, 5, 6, 7, 8, 9, 10, 50].map((failures) => lock(failures) && (lock(failures)! - at.getTime()) / MINUTE)).toEqual([null, 1, 2, 4, 8, 15, 15, 15]);
    const address = (failures: number) => (lockedUntil(SIGN_IN_THROTTLE.address, { failures, lastFailureAt: at })?.getTime() ?? at.getTime()) - at.getTime();
    expect([19, 20, 26, 27, 100].map((failures) => address(failures) / MINUTE)).toEqual([0, 1, 60, 60, 60]);
  });
});

describe.each(testDatabaseKinds())("sign-in throttling on %s", (kind) => {
  let database: TestDatabase;
  let lines: string[] = [];
  let addresses = 0;
  const newAddress = () => `198.51.100.${++addresses}`;
  const t0 = Date.parse("2026-03-01T09:00:00Z");

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const passwordHash = await hashPassword(PASSWORD);
    for (const name of ["ada", "bob", "cy", "dee"]) {
      await createOrganizationWithOwner(database.db, { name, slug: `${name}-${kind}`, owner: { email: `${name}@example.com`, name, passwordHash } });
    }
  });
  afterAll(() => database?.close());

  function attempt(email: string, password: string, address: string, at: number, db = database.db): Promise<SignInResult> {
    return authenticate(db, { email, password }, { address, now: new Date(at), log: (line) => lines.push(line) });
  }
  const statuses = (results: SignInResult[]) => results.map((result) => result.status);

  it("locks an account after 5 failures, refuses even the right password while locked, and accepts it after", async () => {
    const address = newAddress();
    const failures = [];
    for (let i = 0; i < 5; i++) failures.push(await attempt("ada@example.com", `wrong ${i}`, address, t0 + i * 1000));
    expect(statuses(failures)).toEqual(["refused", "refused", "refused", "refused", "refused"]);

    // The 5th failure (at t0+4s) locks for a minute: the right password, from anywhere, is refused unseen.
    expect(await attempt("ada@example.com", PASSWORD, address, t0 + 10_000)).toEqual({ status: "throttled", retryAfterSeconds: 54 });
    expect(await attempt("ada@example.com", PASSWORD, newAddress(), t0 + 63_000)).toEqual({ status: "throttled", retryAfterSeconds: 1 });
    // After the lock: accepted, and the account's count is cleared.
    expect(await attempt("ada@example.com", PASSWORD, address, t0 + 64_000)).toMatchObject({ status: "signed_in" });
    expect(await database.db.signInThrottle.findUnique({ where: { key: "email:ada@example.com" } })).toBeNull();
    expect(statuses([await attempt("ada@example.com", "wrong again", address, t0 + 65_000)])).toEqual(["refused"]);
  });

  it("doubles the lock with each failure after it, and forgets the failures an hour after the last lock ends", async () => {
    const address = newAddress();
    let at = t0;
    for (let i = 0; i < 5; i++) await attempt("bob@example.com", "wrong", address, (at += 1000));
    const locks = [];
    for (let i = 0; i < 3; i++) {
      const refused = await attempt("bob@example.com", "wrong", address, (at += 10_000));
      expect(refused.status).toBe("throttled");
      const retry = (refused as { retryAfterSeconds: number }).retryAfterSeconds * 1000;
      at += retry;
      expect(statuses([await attempt("bob@example.com", "wrong", address, at)])).toEqual(["refused"]);
      locks.push(Math.round((retry + 10_000) / 1000));
    }
    // 1 minute after the 5th failure, then 2, 4 after the 6th and 7th; the 8th locks for 8.
    expect(locks).toEqual([60, 120, 240]);
    expect(await attempt("bob@example.com", PASSWORD, address, at + 8 * MINUTE - 1000)).toMatchObject({ status: "throttled", retryAfterSeconds: 1 });
    // An hour after that lock ended, a failure is the first again: no lock.
    at += 8 * MINUTE + SIGN_IN_THROTTLE.forgetAfterMs;
    expect(statuses([await attempt("bob@example.com", "wrong", address, at)])).toEqual(["refused"]);
    expect(await database.db.signInThrottle.findUniqueOrThrow({ where: { key: "email:bob@example.com" } })).toMatchObject({ failures: 1 });
    expect(await attempt("bob@example.com", PASSWORD, address, at + 1000)).toMatchObject({ status: "signed_in" });
  });

  it("throttles an unknown email exactly like an account, so the lock says nothing about who exists", async () => {
    // From a new address each time: the account's count alone locks.
    const run = async (email: string, start: number) => {
      const results = [];
      for (let i = 0; i < 6; i++) results.push(await attempt(email, "wrong", newAddress(), start + i * 1000));
      return results;
    };
    const known = await run("cy@example.com", t0);
    const unknown = await run("nobody@example.com", t0);
    expect(unknown).toEqual(known);
    expect(known.at(-1)).toEqual({ status: "throttled", retryAfterSeconds: 59 });
  });

  it("locks an address after 20 failures over any emails, the right password included, other addresses and the account untouched", async () => {
    const address = newAddress();
    for (let i = 0; i < 20; i++) expect((await attempt(`spray${i}@example.com`, "wrong", address, t0 + i * 100)).status).toBe("refused");
    expect(await attempt("dee@example.com", PASSWORD, address, t0 + 5000)).toEqual({ status: "throttled", retryAfterSeconds: 57 });
    expect(lines.at(-1)).toBe(`auth.sign_in_throttled email=dee@example.com ip=${address} lock=address failures=20 locked_until=2026-03-01T09:01:01.900Z`);
    expect(await attempt("dee@example.com", PASSWORD, newAddress(), t0 + 6000)).toMatchObject({ status: "signed_in" });
    expect(await attempt("dee@example.com", PASSWORD, address, t0 + 62_000)).toMatchObject({ status: "signed_in" });
    // A success takes back only its own count: the address keeps the spray's 20 failures.
    expect(await database.db.signInThrottle.findUniqueOrThrow({ where: { key: `ip:${address}` } })).toMatchObject({ failures: 20 });
  });

  it("writes a greppable line per throttled attempt, without the password", async () => {
    lines = [];
    const address = newAddress();
    for (let i = 0; i < 5; i++) await attempt("logged@example.com", "hunter2-wrong", address, t0 + i);
    expect(lines).toEqual([]);
    await attempt("logged@example.com", "hunter2-secret", address, t0 + 30_000);
    expect(lines).toEqual([`auth.sign_in_throttled email=logged@example.com ip=${address} lock=account failures=5 locked_until=2026-03-01T09:01:00.004Z`]);
    expect(lines.join("\n")).not.toContain("hunter2");
  });

  it("counts a parallel burst before verifying, so at most 5 guesses of it reach the password", async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt("burst@example.com", `guess ${i}`, newAddress(), t0)));
    expect(results.filter((result) => result.status === "refused")).toHaveLength(5);
    expect(results.filter((result) => result.status === "throttled")).toHaveLength(25);
  });

  it("is shared by every app process: a lock made through one connection pool holds in another", async () => {
    const other = createDb(database.url, { max: 2 });
    try {
      for (let i = 0; i < 5; i++) await attempt("shared@example.com", "wrong", newAddress(), t0 + i, other);
      expect((await attempt("shared@example.com", "wrong", newAddress(), t0 + 1000)).status).toBe("throttled");
    } finally {
      await other.$disconnect();
    }
  });

  it("spends one password verification on a throttled attempt, against a decoy, never the account's hash", async () => {
    const address = newAddress();
    for (let i = 0; i < 5; i++) await attempt("ada@example.com", "wrong", address, t0 + 3_600_000);
    const { passwordHash } = await database.db.user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
    verifications.mockClear();
    expect((await attempt("ada@example.com", PASSWORD, address, t0 + 3_601_000)).status).toBe("throttled");
    // The same cost as a wrong password (one scrypt), so timing does not show the lock; not the real check.
    expect(verifications).toHaveBeenCalledTimes(1);
    expect(verifications.mock.calls[0][1]).not.toBe(passwordHash);
    expect(await verifications.mock.results[0].value).toBe(false);
  });
});
