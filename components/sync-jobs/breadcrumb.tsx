import Link from "next/link";
import { Fragment } from "react";

/** Sync jobs / <job> / <here>: the way back up from an editor, a job or a run. */
export function Breadcrumb({ trail, current }: { trail: { href: string; label: string }[]; current: string }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-2 text-sm">
      {[{ href: "/sync-jobs", label: "Sync jobs" }, ...trail].map((item) => (
        <Fragment key={item.href}>
          <Link href={item.href} className="text-brand-700 hover:underline">
            {item.label}
          </Link>
          <span aria-hidden="true" className="px-1.5 text-slate-400">
            /
          </span>
        </Fragment>
      ))}
      <span className="text-slate-500">{current}</span>
    </nav>
  );
}
