import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeRedirectPath } from "@/lib/auth/callback-url";
import { getRequestContext, getSignedInSession } from "@/lib/auth/context";
import { signInErrorMessage } from "@/lib/auth/sign-in-errors";
import { SignInForm } from "@/components/auth/sign-in-form";
import { Logo } from "@/components/shell/logo";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string | string[]; error?: string | string[] }> }) {
  const { callbackUrl, error } = await searchParams;
  // Only paths on this site: an open redirect after sign-in would be a phishing aid.
  const target = safeRedirectPath(callbackUrl, process.env.NEXTAUTH_URL || "http://localhost");
  if ((await getSignedInSession())?.user.passwordChangeRequired) redirect("/change-password");
  if (await getRequestContext()) redirect(target);
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-b from-slate-50 to-brand-50 px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center gap-3 text-center">
          <Logo size={40} />
          <div>
            <h1 className="text-xl font-semibold text-slate-900">Sign in to Tributary</h1>
            <p className="mt-1 text-sm text-slate-500">Data sync for your customers&apos; stores, books and help desks</p>
          </div>
        </div>
        <div className="rounded-xl border border-slate-200 bg-surface p-6 shadow-sm">
          <SignInForm callbackUrl={target} initialError={typeof error === "string" ? signInErrorMessage(error) : null} />
        </div>
      </div>
    </main>
  );
}
