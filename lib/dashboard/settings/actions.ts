"use server";
// Settings: members (owners manage them) and per-environment options (owners and admins).
import { revalidatePath } from "next/cache";
import { hasRole, requireContext } from "@/lib/auth/context";
import { addMember, changeMemberRole, MemberError, newMemberInput, removeMember, ROLES } from "@/lib/auth/members";
import { getDb } from "@/lib/db/client";
import type { MemberRole } from "@/lib/generated/prisma/enums";
import { formFieldErrors } from "@/lib/input/issues";

export type AddMemberState =
  | { status: "idle" }
  | { status: "invalid"; values: Record<string, string>; fieldErrors: Partial<Record<"email" | "name" | "role", string>> }
  | { status: "failed"; values: Record<string, string>; message: string }
  | { status: "added"; memberId: string; email: string; temporaryPassword: string | null };

export type ActionResult = { ok: true } | { ok: false; message: string };

const OWNERS_ONLY = "Only owners can add, change or remove members.";

export async function addMemberAction(_previous: AddMemberState, form: FormData): Promise<AddMemberState> {
  const context = await requireContext();
  const values = { email: String(form.get("email") ?? ""), name: String(form.get("name") ?? ""), role: String(form.get("role") ?? "") };
  if (!hasRole(context, "owner")) return { status: "failed", values, message: OWNERS_ONLY };
  const parsed = newMemberInput.safeParse(values);
  if (!parsed.success) {
    return { status: "invalid", values, fieldErrors: formFieldErrors<"email" | "name" | "role">(parsed.error) };
  }
  try {
    const added = await addMember(getDb(), context.organization.id, parsed.data);
    revalidatePath("/settings");
    return { status: "added", memberId: added.memberId, email: parsed.data.email, temporaryPassword: added.temporaryPassword };
  } catch (error) {
    if (error instanceof MemberError && error.field) return { status: "invalid", values, fieldErrors: { [error.field]: error.message } };
    console.error("addMemberAction", error);
    return { status: "failed", values, message: "The member could not be added. Try again in a moment." };
  }
}

async function memberChange(change: (organizationId: string) => Promise<void>): Promise<ActionResult> {
  const context = await requireContext();
  if (!hasRole(context, "owner")) return { ok: false, message: OWNERS_ONLY };
  try {
    await change(context.organization.id);
    revalidatePath("/settings");
    return { ok: true };
  } catch (error) {
    if (error instanceof MemberError) return { ok: false, message: error.message };
    console.error("settings member change", error);
    return { ok: false, message: "The change could not be saved. Try again in a moment." };
  }
}

export async function changeRoleAction(memberId: string, role: string): Promise<ActionResult> {
  if (!ROLES.includes(role as MemberRole)) return { ok: false, message: "Choose owner, admin or viewer." };
  return memberChange((organizationId) => changeMemberRole(getDb(), organizationId, memberId, role as MemberRole));
}

export async function removeMemberAction(memberId: string): Promise<ActionResult> {
  return memberChange((organizationId) => removeMember(getDb(), organizationId, memberId));
}

/**
 * The current environment's switches: whether initial and historical syncs emit <OBJECT>_CREATED/_UPDATED
 * events, and whether syncs keep each record's platform payload.
 */
export type EnvironmentSwitchName = "emitDataEventsOnInitial" | "keepPlatformData";

export async function setEnvironmentSwitchAction(name: EnvironmentSwitchName, enabled: boolean): Promise<ActionResult> {
  const context = await requireContext();
  if (!hasRole(context, "admin")) return { ok: false, message: "Only owners and admins can change environment settings." };
  // A server action's arguments come from the browser: only the two switches may be set.
  if (name !== "emitDataEventsOnInitial" && name !== "keepPlatformData") return { ok: false, message: "No such environment setting." };
  await getDb().environment.update({
    where: { organizationId_kind: { organizationId: context.organization.id, kind: context.environment } },
    data: { [name]: Boolean(enabled) },
  });
  revalidatePath("/settings");
  return { ok: true };
}
