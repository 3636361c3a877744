"use client";

import { useTransition } from "react";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";
import { switchEnvironment } from "@/lib/dashboard/environment/actions";

export function EnvironmentSwitch({ current }: { current: EnvironmentKind }) {
  const [pending, startTransition] = useTransition();
  return (
    <div role="group" aria-label="Environment" className="inline-flex rounded-md border border-slate-200 bg-slate-50 p-0.5 text-sm">
      {(["sandbox", "production"] as const).map((environment) => {
        const active = environment === current;
        return (
          <button
            key={environment}
            type="button"
            aria-pressed={active}
            disabled={pending}
            onClick={() => !active && startTransition(() => switchEnvironment(environment))}
            className={`rounded px-3 py-1 font-medium capitalize transition-colors ${
              active
                ? environment === "production"
                  ? "bg-surface text-emerald-700 shadow-sm ring-1 ring-slate-200"
                  : "bg-surface text-amber-700 shadow-sm ring-1 ring-slate-200"
                : "text-slate-500 hover:text-slate-800"
            }`}
          >
            {environment}
          </button>
        );
      })}
    </div>
  );
}
