import type { Metadata } from "next";
import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { Logo } from "@/components/shell/logo";

export const metadata: Metadata = { title: "Page not found" };

/** Any address no page answers (and notFound() where no nearer not-found page is), in the sign-in page's frame. */
export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-b from-slate-50 to-brand-50 px-4">
      <div className="w-full max-w-sm text-center">
        <div className="mb-6 flex justify-center">
          <Logo size={40} />
        </div>
        <p className="text-sm font-semibold text-brand-700">404</p>
        <h1 className="mt-1 text-xl font-semibold text-slate-900">Page not found</h1>
        <p className="mt-2 text-sm text-slate-500">There is nothing at this address in Tributary. It may have moved, or the link may be mistyped.</p>
        <div className="mt-6 flex flex-wrap justify-center gap-2">
          <Link href="/" className={buttonClasses("primary")}>
            Go to the Overview
          </Link>
          <Link href="/connections" className={buttonClasses("secondary")}>
            Connections
          </Link>
        </div>
      </div>
    </main>
  );
}
