"use server";

import { revalidatePath } from "next/cache";
import { hasRole, requireContext } from "@/lib/auth/context";
import { getDb } from "@/lib/db/client";
import { removePlatformOverride, saveLevel } from "@/lib/sync/configuration-levels";
import { isPlatformKey } from "@/lib/platforms/catalog";
import { saveLevelInput, type SaveLevelState } from "./schema";
import { refusal } from "@/lib/dashboard/action";

const NOT_ALLOWED = refusal("admin", "change the sync configuration");

/** Saves one level (the organization's or a platform override) of the member's environment, or nothing when it has a problem. */
export async function saveLevelAction(input: unknown): Promise<SaveLevelState> {
  const context = await requireContext();
  if (!hasRole(context, "admin")) return { status: "failed", message: NOT_ALLOWED };
  const parsed = saveLevelInput.safeParse(input);
  if (!parsed.success) return { status: "failed", message: "The form sent something unexpected. Reload the page and try again." };
  const { target, level } = parsed.data;
  if (target.kind === "platform" && !isPlatformKey(target.platform)) return { status: "failed", message: `Unknown platform "${target.platform}".` };
  try {
    const result = await saveLevel(getDb(), { organizationId: context.organization.id, environment: context.environment }, target, level);
    if (!result.ok) return { status: "invalid", problems: result.problems };
    revalidatePath("/sync-configuration");
    return { status: "saved", savedAt: new Date().toISOString() };
  } catch (error) {
    console.error("saveLevelAction", error);
    return { status: "failed", message: "The configuration could not be saved. Try again in a moment." };
  }
}

/** Makes a platform follow the organization's configuration again. */
export async function removeOverrideAction(platform: string): Promise<SaveLevelState> {
  const context = await requireContext();
  if (!hasRole(context, "admin")) return { status: "failed", message: NOT_ALLOWED };
  if (!isPlatformKey(platform)) return { status: "failed", message: `Unknown platform "${platform}".` };
  try {
    await removePlatformOverride(getDb(), { organizationId: context.organization.id, environment: context.environment }, platform);
    revalidatePath("/sync-configuration");
    return { status: "saved", savedAt: new Date().toISOString() };
  } catch (error) {
    console.error("removeOverrideAction", error);
    return { status: "failed", message: "The override could not be removed. Try again in a moment." };
  }
}
