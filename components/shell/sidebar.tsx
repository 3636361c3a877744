"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { ICONS, isActive, NAV_ITEMS } from "./nav";
import { Logo } from "./logo";

export function Sidebar({ organizationName }: { organizationName: string }) {
  const pathname = usePathname();
  return (
    <aside className="hidden w-60 shrink-0 flex-col border-r border-slate-200 bg-surface md:flex">
      <div className="flex items-center gap-2.5 px-5 py-4">
        <Logo />
        <div className="min-w-0">
          <div className="text-sm font-semibold text-slate-900">Tributary</div>
          <div className="truncate text-xs text-slate-500" title={organizationName}>
            {organizationName}
          </div>
        </div>
      </div>
      <nav aria-label="Sections" className="flex-1 px-3 py-2">
        <ul className="space-y-0.5">
          {NAV_ITEMS.map((item) => {
            const active = isActive(item, pathname);
            return (
              <li key={item.href}>
                <Link
                  href={item.href}
                  aria-current={active ? "page" : undefined}
                  className={`flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors ${
                    active ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-50 hover:text-slate-900"
                  }`}
                >
                  <svg
                    width="18"
                    height="18"
                    viewBox="0 0 24 24"
                    fill="none"
                    stroke="currentColor"
                    strokeWidth="1.8"
                    strokeLinecap="round"
                    strokeLinejoin="round"
                    aria-hidden="true"
                  >
                    <path d={ICONS[item.icon]} />
                  </svg>
                  {item.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <div className="border-t border-slate-100 px-5 py-3 text-xs text-slate-400">Self-hosted · open source</div>
    </aside>
  );
}
