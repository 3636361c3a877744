"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

/** Signs out (next-auth ends the server-side session too) and lands on the sign-in page. */
export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signOut({ callbackUrl: "/sign-in" });
      }}
      className="rounded-md border border-slate-300 bg-surface px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50"
    >
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
