// Sign-in and password change on a real database: hashing, the refusals that say nothing about which
// part was wrong, and a password change that checks the current password, applies the password rules,
// ends a temporary password and every other session of the user (not the one asking).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { authenticate, changePassword } from "./credentials";
import { hashPassword, verifyPassword } from "./password";
import { isLive, startSession } from "./sessions";

describe.each(testDatabaseKinds())("email and password on %s", (kind) => {
  let database: TestDatabase;
  // Each test its own address, so one test's failures never throttle another's.
  let addresses = 0;
  const options = () => ({ address: `192.0.2.${++addresses}`, log: () => {} });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const passwordHash = await hashPassword("correct horse battery");
    await createOrganizationWithOwner(database.db, { name: "Acme", slug: "acme", owner: { email: "ada@example.com", name: "Ada", passwordHash } });
  });

  afterAll(() => database?.close());

  const user = (email: string) => database.db.user.findUniqueOrThrow({ where: { email } });

  it("stores passwords hashed, never as given", async () => {
    const row = await user("ada@example.com");
    expect(row.passwordHash).not.toContain("correct horse");
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifyPassword("correct horse battery", row.passwordHash)).toBe(true);
  });

  it("signs in with the right password, whatever the email's case, and records the time", async () => {
    const result = await authenticate(database.db, { email: "  Ada@Example.com ", password: "correct horse battery" }, options());
    expect(result).toMatchObject({ status: "signed_in", user: { email: "ada@example.com", name: "Ada" } });
    expect((await user("ada@example.com")).lastSignInAt).toBeInstanceOf(Date);
  });

  it("refuses a wrong password, an unknown email and malformed input alike", async () => {
    const refused = { status: "refused" };
    expect(await authenticate(database.db, { email: "ada@example.com", password: "wrong horse battery" }, options())).toEqual(refused);
    expect(await authenticate(database.db, { email: "nobody@example.com", password: "correct horse battery" }, options())).toEqual(refused);
    expect(await authenticate(database.db, { email: "not-an-email", password: "x" }, options())).toEqual(refused);
    expect(await authenticate(database.db, undefined, options())).toEqual(refused);
  });

  it("changes a password: the current one must be right, the new one must pass the rules and be typed twice alike", async () => {
    const { user: grace } = await createOrganizationWithOwner(database.db, {
      name: "Grace Co",
      slug: `grace-${kind}`,
      owner: { email: "grace@example.com", name: "Grace", passwordHash: await hashPassword("grace's first password") },
    });
    const sessionId = await startSession(database.db, grace.id);
    const change = (input: Record<string, string>) => changePassword(database.db, { userId: grace.id, sessionId }, input, options());

    expect(await change({ currentPassword: "not it at all", newPassword: "grace's second password", confirmPassword: "grace's second password" })).toEqual({
      status: "invalid",
      fieldErrors: { currentPassword: "That is not your current password." },
    });
    expect(await change({ currentPassword: "grace's first password", newPassword: "short", confirmPassword: "short" })).toEqual({
      status: "invalid",
      fieldErrors: { newPassword: "Password must be at least 12 characters." },
    });
    expect(
      await change({ currentPassword: "grace's first password", newPassword: "grace's second password", confirmPassword: "grace's 2nd password" }),
    ).toEqual({
      status: "invalid",
      fieldErrors: { confirmPassword: "The two new passwords differ: type the same one twice." },
    });
    expect(
      await change({ currentPassword: "grace's first password", newPassword: "grace's first password", confirmPassword: "grace's first password" }),
    ).toEqual({
      status: "invalid",
      fieldErrors: { newPassword: "Choose a password different from the current one." },
    });
    expect(await verifyPassword("grace's first password", (await user("grace@example.com")).passwordHash)).toBe(true);

    expect(
      await change({ currentPassword: "grace's first password", newPassword: "grace's second password", confirmPassword: "grace's second password" }),
    ).toEqual({
      status: "changed",
      sessionId: expect.stringMatching(/^ses_/),
      endedSessions: 0,
    });
    const signIn = (password: string) => authenticate(database.db, { email: "grace@example.com", password }, options());
    expect(await signIn("grace's first password")).toEqual({ status: "refused" });
    expect(await signIn("grace's second password")).toMatchObject({ status: "signed_in" });
  });

  it("a password change ends every session of the user, the asking one included, and a temporary password's duty; the asker gets a new session", async () => {
    const { user: temp } = await createOrganizationWithOwner(database.db, {
      name: "Temp Co",
      slug: `temp-${kind}`,
      owner: { email: "temp@example.com", name: "Temp", passwordHash: await hashPassword("temporary-pass-1234"), passwordChangeRequired: true },
    });
    const { user: other } = await createOrganizationWithOwner(database.db, {
      name: "Other Co",
      slug: `other-${kind}`,
      owner: { email: "other@example.com", name: "Other", passwordHash: await hashPassword("someone else's password") },
    });
    const here = await startSession(database.db, temp.id);
    const laptop = await startSession(database.db, temp.id);
    const phone = await startSession(database.db, temp.id);
    const someoneElse = await startSession(database.db, other.id);

    const result = await changePassword(
      database.db,
      { userId: temp.id, sessionId: here },
      { currentPassword: "temporary-pass-1234", newPassword: "my very own password", confirmPassword: "my very own password" },
      options(),
    );
    expect(result).toEqual({ status: "changed", sessionId: expect.stringMatching(/^ses_/), endedSessions: 2 });
    const live = async (id: string) => isLive(await database.db.userSession.findUniqueOrThrow({ where: { id } }));
    const replacement = (result as { sessionId: string }).sessionId;
    expect({
      here: await live(here),
      laptop: await live(laptop),
      phone: await live(phone),
      someoneElse: await live(someoneElse),
      replacement: await live(replacement),
    }).toEqual({
      here: false,
      laptop: false,
      phone: false,
      someoneElse: true,
      replacement: true,
    });
    expect((await database.db.userSession.findUniqueOrThrow({ where: { id: replacement } })).userId).toBe(temp.id);
    expect((await user("temp@example.com")).passwordChangeRequired).toBe(false);
  });
});
