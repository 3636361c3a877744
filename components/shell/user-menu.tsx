"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

export function UserMenu({ name, email, role }: { name: string; email: string; role: string }) {
  const [pending, setPending] = useState(false);
  return (
    <div className="flex items-center gap-3">
      <div className="hidden text-right sm:block">
        <div className="text-sm font-medium text-slate-800">{name}</div>
        <div className="text-xs text-slate-500">
          {email} · {role}
        </div>
      </div>
      <button
        type="button"
        disabled={pending}
        onClick={() => {
          setPending(true);
          void signOut({ callbackUrl: "/sign-in" });
        }}
        className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50"
      >
        {pending ? "Signing out…" : "Sign out"}
      </button>
    </div>
  );
}
