"use client";

// The sections on narrow screens, where the sidebar would take most of the width: one row of links
// under the header that scrolls sideways inside itself.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";
import { isActive, NAV_ITEMS } from "./nav";

export function MobileNav() {
  const pathname = usePathname();
  const current = useRef<HTMLAnchorElement>(null);
  // The current section stays in view when it sits past the screen's edge.
  useEffect(() => {
    current.current?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [pathname]);
  return (
    <nav aria-label="Sections" className="relative overflow-x-auto border-b border-slate-200 bg-surface md:hidden">
      <ul className="flex gap-1 px-4 py-2">
        {NAV_ITEMS.map((item) => {
          const active = isActive(item, pathname);
          return (
            <li key={item.href} className="shrink-0">
              <Link
                href={item.href}
                ref={active ? current : undefined}
                aria-current={active ? "page" : undefined}
                className={`block rounded-md px-3 py-1.5 text-sm font-medium ${active ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-50 hover:text-slate-900"}`}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
