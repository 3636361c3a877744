"use server";

import { revalidatePath } from "next/cache";
import { createApiKey, revokeApiKey } from "@/lib/api/keys";
import { hasRole, requireContext } from "@/lib/auth/context";
import { getDb } from "@/lib/db/client";
import { createApiKeyInput, type CreateApiKeyState } from "./schema";
import { formFieldErrors } from "@/lib/input/issues";
import { memberAction, refusal, type ActionResult } from "@/lib/dashboard/action";

const KEYS = { role: "admin", may: "create or revoke API keys" } as const;

export async function createApiKeyAction(_previous: CreateApiKeyState, form: FormData): Promise<CreateApiKeyState> {
  const context = await requireContext();
  const raw = typeof form.get("name") === "string" ? String(form.get("name")) : "";
  if (!hasRole(context, KEYS.role)) return { status: "failed", name: raw, message: refusal(KEYS.role, KEYS.may) };
  const parsed = createApiKeyInput.safeParse({ name: raw });
  if (!parsed.success) return { status: "invalid", name: raw, fieldErrors: formFieldErrors<"name">(parsed.error) };
  try {
    const key = await createApiKey(getDb(), {
      organizationId: context.organization.id,
      environment: context.environment,
      name: parsed.data.name,
    });
    revalidatePath("/api-keys");
    return { status: "created", key: { id: key.id, name: parsed.data.name, clientId: key.clientId, secret: key.secret } };
  } catch (error) {
    console.error("createApiKeyAction", error);
    return { status: "failed", name: raw, message: "The key could not be created. Try again in a moment." };
  }
}

export async function revokeApiKeyAction(id: string): Promise<ActionResult> {
  return memberAction({ ...KEYS, name: "revokeApiKeyAction", failed: "The key could not be revoked." }, async (context) => {
    const revoked = await revokeApiKey(getDb(), { organizationId: context.organization.id, environment: context.environment }, id);
    revalidatePath("/api-keys");
    return revoked ? { ok: true } : { ok: false, message: "This key was already revoked or no longer exists." };
  });
}
