"use server";
// Settings: members (owners manage them) and per-environment options (owners and admins).
import { revalidatePath } from "next/cache";
import { hasRole, requireContext } from "@/lib/auth/context";
import { addMember, changeMemberRole, MemberError, newMemberInput, removeMember, ROLES } from "@/lib/auth/members";
import { getDb } from "@/lib/db/client";
import type { MemberRole } from "@/lib/generated/prisma/enums";
import { formFieldErrors } from "@/lib/input/issues";
import { memberAction, refusal, type ActionResult } from "@/lib/dashboard/action";
import { retentionColumns, retentionInput, type RetentionPolicy } from "@/lib/retention/policy";
import { requestEnvironmentDeletion } from "@/lib/retention/environments";

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

/**
 * The organization's retention (lib/retention/policy.ts): days of events and deliveries, of finished
 * runs, of tombstones. Owners and admins; each field's problem named, nothing saved unless all are right.
 */
export async function saveRetentionAction(values: Record<keyof RetentionPolicy, string>): Promise<ActionResult<{ policy: RetentionPolicy }>> {
  const spec = { role: "admin", may: "change data retention", name: "saveRetentionAction", failed: "The retention could not be saved." } as const;
  return memberAction(spec, async (context) => {
    const parsed = retentionInput.safeParse(values);
    if (!parsed.success) {
      return { ok: false, message: "Nothing was saved: correct the fields marked.", fieldErrors: formFieldErrors<keyof RetentionPolicy>(parsed.error) };
    }
    await getDb().organization.update({ where: { id: context.organization.id }, data: retentionColumns(parsed.data) });
    revalidatePath("/settings");
    return { ok: true, policy: parsed.data };
  });
}

/**
 * Deletes the current environment's connections and their data: answered at once, done in the
 * background (lib/retention/environments.ts). The member types the environment's name to confirm.
 */
export async function deleteEnvironmentDataAction(typed: string): Promise<ActionResult<{ connections: number }>> {
  const spec = {
    role: "admin",
    may: "delete an environment's data",
    name: "deleteEnvironmentDataAction",
    failed: "The deletion could not be started.",
  } as const;
  return memberAction(spec, async (context) => {
    if (String(typed).trim() !== context.environment)
      return { ok: false, message: "The name does not match.", fieldErrors: { confirmation: `Type ${context.environment} exactly to confirm.` } };
    const connections = await requestEnvironmentDeletion(getDb(), { organizationId: context.organization.id, environment: context.environment });
    revalidatePath("/settings");
    revalidatePath("/connections");
    return { ok: true, connections };
  });
}
