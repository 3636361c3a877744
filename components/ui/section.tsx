import type { ReactNode } from "react";

/** A titled part of a page whose content brings its own frame (a table, cards); a region named by its title. */
export function Section({
  title,
  description,
  actions,
  children,
  className = "",
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section aria-label={title} className={className}>
      <header className="mb-3 flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h2 className="text-sm font-semibold text-slate-900">{title}</h2>
          {description && <p className="mt-0.5 text-sm text-slate-500">{description}</p>}
        </div>
        {actions}
      </header>
      {children}
    </section>
  );
}

/** What a section says when its list is empty, smaller than a page's EmptyState. */
export function SectionEmpty({ children }: { children: ReactNode }) {
  return <p className="rounded-lg border border-dashed border-slate-300 bg-surface px-5 py-4 text-sm text-slate-600">{children}</p>;
}
