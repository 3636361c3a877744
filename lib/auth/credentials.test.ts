import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { authenticate } from "./credentials";
import { hashPassword, verifyPassword } from "./password";

describe("email and password sign-in", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    const passwordHash = await hashPassword("correct horse battery");
    await createOrganizationWithOwner(database.db, { name: "Acme", slug: "acme", owner: { email: "ada@example.com", name: "Ada", passwordHash } });
  });

  afterAll(() => database?.close());

  it("stores passwords hashed, never as given", async () => {
    const user = await database.db.user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
    expect(user.passwordHash).not.toContain("correct horse");
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifyPassword("correct horse battery", user.passwordHash)).toBe(true);
  });

  it("signs in with the right password, whatever the email's case, and records the time", async () => {
    const user = await authenticate(database.db, { email: "  Ada@Example.com ", password: "correct horse battery" });
    expect(user).toMatchObject({ email: "ada@example.com", name: "Ada" });
    const row = await database.db.user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
    expect(row.lastSignInAt).toBeInstanceOf(Date);
  });

  it("refuses a wrong password, an unknown email and malformed input alike", async () => {
    expect(await authenticate(database.db, { email: "ada@example.com", password: "wrong horse battery" })).toBeNull();
    expect(await authenticate(database.db, { email: "nobody@example.com", password: "correct horse battery" })).toBeNull();
    expect(await authenticate(database.db, { email: "not-an-email", password: "x" })).toBeNull();
    expect(await authenticate(database.db, undefined)).toBeNull();
  });
});
