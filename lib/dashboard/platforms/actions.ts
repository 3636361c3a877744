"use server";

import { revalidatePath } from "next/cache";
import { hasRole, requireContext } from "@/lib/auth/context";
import { getDb } from "@/lib/db/client";
import { defaultScopes, updatePlatformConfig } from "@/lib/link/platform-configs";
import { isPlatformKey } from "@/lib/platforms/catalog";
import { credentialsInput, type CredentialsField, type CredentialsState } from "./schema";
import { formFieldErrors } from "@/lib/input/issues";
import { memberAction, refusal, type ActionResult } from "@/lib/dashboard/action";

const PLATFORMS = { role: "admin", may: "change platform settings" } as const;

export async function setPlatformEnabledAction(platform: string, enabled: boolean): Promise<ActionResult> {
  return memberAction({ ...PLATFORMS, name: "setPlatformEnabledAction", failed: "The change could not be saved." }, async (context) => {
    if (!isPlatformKey(platform)) return { ok: false, message: `Unknown platform "${platform}".` };
    await updatePlatformConfig(getDb(), { organizationId: context.organization.id, environment: context.environment, platform }, { enabled });
    revalidatePath("/platforms");
    return { ok: true };
  });
}

/** Saves the developer app's credentials and scopes; an empty credential field keeps the stored value. */
export async function saveCredentialsAction(_previous: CredentialsState, form: FormData): Promise<CredentialsState> {
  const context = await requireContext();
  const text = (name: string) => (typeof form.get(name) === "string" ? String(form.get(name)) : "");
  if (!hasRole(context, PLATFORMS.role)) return { status: "failed", message: refusal(PLATFORMS.role, PLATFORMS.may) };
  const parsed = credentialsInput.safeParse({
    platform: text("platform"),
    clientId: text("clientId"),
    clientSecret: text("clientSecret"),
    scopes: text("scopes"),
  });
  if (!parsed.success) {
    const fieldErrors = formFieldErrors<CredentialsField>(parsed.error);
    // The secret is never sent back, even to the form that typed it.
    return { status: "invalid", fieldErrors, clientId: text("clientId"), scopes: text("scopes") };
  }
  const { platform, clientId, clientSecret, scopes } = parsed.data;
  if (!isPlatformKey(platform)) return { status: "failed", message: `Unknown platform "${platform}".` };
  const defaults = defaultScopes(platform);
  const isDefault = scopes.length === 0 || (scopes.length === defaults.length && scopes.every((scope, i) => scope === defaults[i]));
  try {
    await updatePlatformConfig(
      getDb(),
      { organizationId: context.organization.id, environment: context.environment, platform },
      { ...(clientId ? { clientId } : {}), ...(clientSecret ? { clientSecret } : {}), scopes: isDefault ? [] : scopes },
    );
    revalidatePath("/platforms");
    const saved = [clientId && "client ID", clientSecret && "client secret", "scopes"].filter(Boolean).join(", ");
    return { status: "saved", at: Date.now(), message: `Saved ${saved}.` };
  } catch (error) {
    console.error("saveCredentialsAction", error);
    return { status: "failed", message: "The credentials could not be saved. Try again in a moment." };
  }
}

/** Forgets the developer app's client ID and secret (production then stops offering the platform). */
export async function clearCredentialsAction(platform: string): Promise<ActionResult> {
  return memberAction({ ...PLATFORMS, name: "clearCredentialsAction", failed: "The credentials could not be removed." }, async (context) => {
    if (!isPlatformKey(platform)) return { ok: false, message: `Unknown platform "${platform}".` };
    await updatePlatformConfig(
      getDb(),
      { organizationId: context.organization.id, environment: context.environment, platform },
      { clientId: null, clientSecret: null },
    );
    revalidatePath("/platforms");
    return { ok: true };
  });
}
