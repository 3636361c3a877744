import Link from "next/link";
import { formatCount } from "@/lib/format";

/** Counts as labelled bars, each linking to the list it counts. */
export function Breakdown({ label, rows, total }: { label: string; rows: [name: string, count: number, color: string, href: string][]; total: number }) {
  return (
    <ul className="space-y-3" aria-label={label}>
      {rows.map(([name, count, color, href]) => {
        const share = total ? (count / total) * 100 : 0;
        return (
          <li key={name} className="text-sm">
            <Link href={href} className="group block rounded focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500">
              <div className="flex justify-between text-slate-600">
                <span className="group-hover:text-slate-900 group-hover:underline">{name}</span>
                <span className="tabular-nums">
                  <span className="font-medium text-slate-900">{formatCount(count)}</span>
                  <span className="ml-1.5 text-xs text-slate-500">{share < 1 && share > 0 ? "<1" : Math.round(share)}%</span>
                </span>
              </div>
              <div className="mt-1 h-1.5 rounded-full bg-slate-100">
                <div className={`h-1.5 rounded-full ${color}`} style={{ width: `${share}%` }} />
              </div>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
