import Link from "next/link";
import { Fragment } from "react";

export interface Crumb {
  href: string;
  label: string;
  /** The whole label on hover, where it is long enough to be cut (an endpoint's URL). */
  title?: string;
  mono?: boolean;
}

/**
 * Section / … / here: the way back up from a page. On one line; long labels (ids, URLs) are cut
 * with an ellipsis instead of widening a phone's page.
 */
export function Breadcrumb({ trail, current }: { trail: Crumb[]; current: string }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-2 flex min-w-0 items-center text-sm">
      {trail.map((item, index) => (
        <Fragment key={item.href}>
          {/* The section (the first step) keeps its whole name; the steps after it give way. */}
          <Link
            href={item.href}
            title={item.title}
            className={`${index === 0 ? "shrink-0" : "min-w-0 shrink truncate"} text-brand-700 hover:underline ${item.mono ? "font-mono text-xs" : ""}`}
          >
            {item.label}
          </Link>
          <span aria-hidden="true" className="shrink-0 px-1.5 text-slate-400">
            /
          </span>
        </Fragment>
      ))}
      <span className="min-w-0 truncate text-slate-500" title={current}>
        {current}
      </span>
    </nav>
  );
}
