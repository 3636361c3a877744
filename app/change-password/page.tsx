// The forced change of a temporary password (a new member's, a generated first admin's): every
// dashboard page and action sends such a session here until the user has chosen their own password.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { requireSignedInSession } from "@/lib/auth/context";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { Logo } from "@/components/shell/logo";
import { changePasswordAction } from "@/lib/dashboard/change-password/actions";

export const metadata: Metadata = { title: "Choose your password" };

export default async function ChangePasswordPage() {
  const session = await requireSignedInSession();
  // Nothing to force: a chosen password is changed in Settings.
  if (!session.user.passwordChangeRequired) redirect("/settings");
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-b from-slate-50 to-brand-50 px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center gap-3 text-center">
          <Logo size={40} />
          <div>
            <h1 className="text-xl font-semibold text-slate-900">Choose your password</h1>
            <p className="mt-1 text-sm text-slate-500">
              {session.user.email} signed in with a temporary password. Choose your own to continue; the temporary one stops working.
            </p>
          </div>
        </div>
        <div className="rounded-xl border border-slate-200 bg-surface p-6 shadow-sm">
          <ChangePasswordForm action={changePasswordAction} currentLabel="Temporary password" submitLabel="Save and continue" />
        </div>
        <div className="mt-4 text-center">
          <SignOutButton />
        </div>
      </div>
    </main>
  );
}
