// Members: adding (a temporary password only for a person new to the install), roles, removal, and
// the rule that an organization always keeps an owner, even when two owners demote each other at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import { addMember, changeMemberRole, newMemberInput, removeMember } from "./members";
import { verifyPassword } from "./password";

describe.each(testDatabaseKinds())("members on %s", (kind) => {
  let database: TestDatabase;
  let organizationId: string;
  let ownerMemberId: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const created = await createOrganizationWithOwner(database.db, {
      name: "Acme",
      slug: "acme-members",
      owner: { email: "owner@acme.test", name: "Owner", passwordHash: "x" },
    });
    organizationId = created.organization.id;
    ownerMemberId = (await database.db.member.findFirstOrThrow({ where: { organizationId } })).id;
  });
  afterAll(() => database?.close());

  it("validates the form, naming the field", () => {
    const bad = (input: unknown) => newMemberInput.safeParse(input).error?.issues[0]?.path[0];
    expect(bad({ email: "not an email", name: "A", role: "admin" })).toBe("email");
    expect(bad({ email: "a@b.test", name: " ", role: "admin" })).toBe("name");
    expect(bad({ email: "a@b.test", name: "A", role: "root" })).toBe("role");
    expect(newMemberInput.parse({ email: " Ada@Example.TEST ", name: "Ada", role: "viewer" }).email).toBe("ada@example.test");
  });

  it("a new person gets an account with a temporary password that signs in; an existing one only a membership", async () => {
    const added = await addMember(database.db, organizationId, { email: "ada@acme.test", name: "Ada", role: "admin" });
    expect(added.temporaryPassword).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    const user = await database.db.user.findUniqueOrThrow({ where: { email: "ada@acme.test" } });
    expect(await verifyPassword(added.temporaryPassword!, user.passwordHash)).toBe(true);
    // Temporary: the first sign-in must replace it.
    expect(user.passwordChangeRequired).toBe(true);

    const other = await createOrganizationWithOwner(database.db, {
      name: "Other",
      slug: "other-members",
      owner: { email: "boss@other.test", name: "Boss", passwordHash: "keep" },
    });
    const joined = await addMember(database.db, organizationId, { email: "boss@other.test", name: "Ignored", role: "viewer" });
    expect(joined.temporaryPassword).toBeNull();
    // Their password and name are theirs: unchanged, and not made temporary.
    expect(await database.db.user.findUniqueOrThrow({ where: { id: other.user.id } })).toMatchObject({
      passwordHash: "keep",
      name: "Boss",
      passwordChangeRequired: false,
    });
    await expect(addMember(database.db, organizationId, { email: "boss@other.test", name: "Again", role: "viewer" })).rejects.toMatchObject({ field: "email" });
  });

  it("keeps at least one owner, even when the last two owners demote each other at the same time", async () => {
    await expect(changeMemberRole(database.db, organizationId, ownerMemberId, "admin")).rejects.toMatchObject({ field: "role" });
    await expect(removeMember(database.db, organizationId, ownerMemberId)).rejects.toThrow(/at least one owner/);
    const second = await addMember(database.db, organizationId, { email: "grace@acme.test", name: "Grace", role: "owner" });
    const results = await Promise.allSettled([
      changeMemberRole(database.db, organizationId, ownerMemberId, "viewer"),
      changeMemberRole(database.db, organizationId, second.memberId, "viewer"),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await database.db.member.count({ where: { organizationId, role: "owner" } })).toBe(1);
  });

  it("removes a member, and never one of another organization", async () => {
    const added = await addMember(database.db, organizationId, { email: "temp@acme.test", name: "Temp", role: "viewer" });
    const other = await createOrganizationWithOwner(database.db, {
      name: "Third",
      slug: "third-members",
      owner: { email: "third@x.test", name: "T", passwordHash: "x" },
    });
    await expect(removeMember(database.db, other.organization.id, added.memberId)).rejects.toThrow(/no longer a member/);
    await removeMember(database.db, organizationId, added.memberId);
    expect(await database.db.member.findUnique({ where: { id: added.memberId } })).toBeNull();
  });
});
