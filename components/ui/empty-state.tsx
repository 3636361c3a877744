import type { ReactNode } from "react";

/** What a section shows when it has nothing yet: what this is, and what to do next. */
export function EmptyState({ icon, title, children, action }: { icon?: ReactNode; title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <div className="flex flex-col items-center rounded-lg border border-dashed border-slate-300 bg-surface px-6 py-12 text-center">
      {icon && <div className="mb-3 text-slate-400">{icon}</div>}
      <h3 className="text-sm font-semibold text-slate-900">{title}</h3>
      <div className="mt-1 max-w-md text-sm text-slate-500">{children}</div>
      {action && <div className="mt-5">{action}</div>}
    </div>
  );
}
