// Who belongs to an organization: adding a teammate (a new user gets a temporary password, shown
// once, since a self-hosted install may send no email; they must choose their own at their first
// sign-in, lib/auth/context.ts), changing a role, removing a member. An
// organization always keeps at least one owner; each change takes the organization's owners under a
// row lock, so two owners demoting each other at once cannot leave none.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import type { MemberRole } from "@/lib/generated/prisma/enums";
import { hashPassword } from "./password";

export class MemberError extends Error {
  constructor(
    readonly field: "email" | "name" | "role" | null,
    message: string,
  ) {
    super(message);
    this.name = "MemberError";
  }
}

export const ROLES = ["owner", "admin", "viewer"] as const satisfies readonly MemberRole[];

export const newMemberInput = z.object({
  email: z.string().trim().toLowerCase().max(254, "Keep the email to 254 characters or fewer.").email("Enter an email address, e.g. ada@example.com."),
  name: z.string().trim().min(1, "Enter the person's name.").max(120, "Keep the name to 120 characters or fewer."),
  role: z.enum(ROLES, { message: "Choose owner, admin or viewer." }),
});

export type NewMember = z.output<typeof newMemberInput>;

/** A readable temporary password: 4 groups of 5 from an alphabet without look-alikes (≈ 100 bits). */
function temporaryPassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const bytes = randomBytes(20);
  const characters = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 5, 10, 15].map((start) => characters.slice(start, start + 5).join("")).join("-");
}

/** Adds a member; a person new to this install gets an account with a temporary password (returned once). */
export async function addMember(db: Db, organizationId: string, input: NewMember): Promise<{ memberId: string; temporaryPassword: string | null }> {
  const existing = await db.user.findUnique({ where: { email: input.email }, select: { id: true } });
  const password = existing ? null : temporaryPassword();
  const passwordHash = password ? await hashPassword(password) : null;
  return db.$transaction(async (tx) => {
    const userId = existing?.id ?? newId("usr");
    if (!existing)
      await tx.user.create({ data: { id: userId, email: input.email, name: input.name, passwordHash: passwordHash!, passwordChangeRequired: true } });
    const already = await tx.member.findUnique({ where: { organizationId_userId: { organizationId, userId } } });
    if (already) throw new MemberError("email", `${input.email} is already a member of this organization.`);
    const memberId = newId("mem");
    await tx.member.create({ data: { id: memberId, organizationId, userId, role: input.role } });
    return { memberId, temporaryPassword: password };
  });
}

async function lockOwners(tx: Parameters<Parameters<Db["$transaction"]>[0]>[0], organizationId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`select id from members where organization_id = ${organizationId} and role = 'owner' for update`;
  return rows.map((row) => row.id);
}

export async function changeMemberRole(db: Db, organizationId: string, memberId: string, role: MemberRole): Promise<void> {
  await db.$transaction(async (tx) => {
    const owners = await lockOwners(tx, organizationId);
    const member = await tx.member.findFirst({ where: { id: memberId, organizationId } });
    if (!member) throw new MemberError(null, "This person is no longer a member.");
    if (member.role === "owner" && role !== "owner" && owners.length === 1) {
      throw new MemberError("role", "An organization needs at least one owner: make someone else an owner first.");
    }
    await tx.member.update({ where: { id: memberId }, data: { role } });
  });
}

export async function removeMember(db: Db, organizationId: string, memberId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const owners = await lockOwners(tx, organizationId);
    const member = await tx.member.findFirst({ where: { id: memberId, organizationId } });
    if (!member) throw new MemberError(null, "This person is no longer a member.");
    if (member.role === "owner" && owners.length === 1)
      throw new MemberError(null, "An organization needs at least one owner: make someone else an owner first.");
    await tx.member.delete({ where: { id: memberId } });
  });
}
