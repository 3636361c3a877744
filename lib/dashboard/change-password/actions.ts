"use server";
// The password change, from Settings and from the forced change of a temporary password. The
// session is checked here (a temporary password's session is allowed, nothing else is), the current
// password goes through the sign-in throttle, and every session of the user ends: this browser gets a
// new one, so a copy of its old cookie stops working too.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { requireSignedInSession, setSessionCookie } from "@/lib/auth/context";
import { clientAddress } from "@/lib/auth/client-ip";
import { changePassword } from "@/lib/auth/credentials";
import { throttledMessage } from "@/lib/auth/sign-in-errors";
import { getDb } from "@/lib/db/client";
import type { ChangePasswordFormState } from "./schema";

export async function changePasswordAction(_previous: ChangePasswordFormState, form: FormData): Promise<ChangePasswordFormState> {
  const session = await requireSignedInSession();
  const input = {
    currentPassword: String(form.get("currentPassword") ?? ""),
    newPassword: String(form.get("newPassword") ?? ""),
    confirmPassword: String(form.get("confirmPassword") ?? ""),
  };
  const wasTemporary = session.user.passwordChangeRequired;
  let result;
  try {
    result = await changePassword(getDb(), { userId: session.user.id, sessionId: session.id }, input, { address: clientAddress(await headers()) });
  } catch (error) {
    console.error("changePasswordAction", error);
    return { status: "failed", message: "The password could not be changed. Try again in a moment." };
  }
  if (result.status === "throttled") return { status: "failed", message: throttledMessage(result.retryAfterSeconds) };
  if (result.status === "invalid") return result;
  await setSessionCookie(session.user, result.sessionId);
  // A temporary password replaced: on to the dashboard it was keeping them from.
  if (wasTemporary) redirect("/");
  return { status: "changed", endedSessions: result.endedSessions };
}
