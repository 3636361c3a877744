"use server";
// Settings: members (owners manage them) and per-environment options (owners and admins).
import { revalidatePath } from "next/cache";
import { hasRole, requireContext } from "@/lib/auth/context";
import { addMember, changeMemberRole, MemberError, newMemberInput, removeMember, ROLES } from "@/lib/auth/members";
import { getDb } from "@/lib/db/client";
import type { MemberRole } from "@/lib/generated/prisma/enums";
import { formFieldErrors } from "@/lib/input/issues";
import { memberAction, refusal, type ActionResult } from "@/lib/dashboard/action";

export type AddMemberState =
  | { status: "idle" }
  | { status: "invalid"; values: Record<string, string>; fieldErrors: Partial<Record<"email" | "name" | "role", string>> }
  | { status: "failed"; values: Record<string, string>; message: string }
  | { status: "added"; memberId: string; email: string; temporaryPassword: string | null };

const MEMBERS = { role: "owner", may: "add, change or remove members" } as const;

export async function addMemberAction(_previous: AddMemberState, form: FormData): Promise<AddMemberState> {
  const context = await requireContext();
  const values = { email: String(form.get("email") ?? ""), name: String(form.get("name") ?? ""), role: String(form.get("role") ?? "") };
  if (!hasRole(context, MEMBERS.role)) return { status: "failed", values, message: refusal(MEMBERS.role, MEMBERS.may) };
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

function memberChange(name: string, change: (organizationId: string) => Promise<void>): Promise<ActionResult> {
  const expected = (error: unknown) => (error instanceof MemberError ? { ok: false as const, message: error.message } : undefined);
  return memberAction({ ...MEMBERS, name, failed: "The change could not be saved.", expected }, async (context) => {
    await change(context.organization.id);
    revalidatePath("/settings");
    return { ok: true };
  });
}

export async function changeRoleAction(memberId: string, role: string): Promise<ActionResult> {
  if (!ROLES.includes(role as MemberRole)) return { ok: false, message: "Choose owner, admin or viewer." };
  return memberChange("changeRoleAction", (organizationId) => changeMemberRole(getDb(), organizationId, memberId, role as MemberRole));
}

export async function removeMemberAction(memberId: string): Promise<ActionResult> {
  return memberChange("removeMemberAction", (organizationId) => removeMember(getDb(), organizationId, memberId));
}

/**
 * The current environment's switches: whether initial and historical syncs emit <OBJECT>_CREATED/_UPDATED
 * events, and whether syncs keep each record's platform payload.
 */
export type EnvironmentSwitchName = "emitDataEventsOnInitial" | "keepPlatformData";

export async function setEnvironmentSwitchAction(name: EnvironmentSwitchName, enabled: boolean): Promise<ActionResult> {
  const spec = { role: "admin", may: "change environment settings", name: "setEnvironmentSwitchAction", failed: "The setting could not be saved." } as const;
  return memberAction(spec, async (context) => {
    // A server action's arguments come from the browser: only the two switches may be set.
    if (name !== "emitDataEventsOnInitial" && name !== "keepPlatformData") return { ok: false, message: "No such environment setting." };
    await getDb().environment.update({
      where: { organizationId_kind: { organizationId: context.organization.id, kind: context.environment } },
      data: { [name]: Boolean(enabled) },
    });
    revalidatePath("/settings");
    return { ok: true };
  });
}
