import type { ReactNode } from "react";

/**
 * The frame of a table that scrolls sideways inside itself on a narrow screen. Positioned, so that
 * what is absolutely positioned inside (an sr-only header) is clipped with the rest instead of
 * widening the page.
 */
export const TABLE_FRAME = "relative overflow-x-auto rounded-lg border border-slate-200 bg-surface shadow-sm";

export function Table({ head, children }: { head: ReactNode[]; children: ReactNode }) {
  return (
    <div className={TABLE_FRAME}>
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50">
          <tr>
            {head.map((cell, index) => (
              <th key={index} scope="col" className="px-4 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
                {cell}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

export function Cell({ children, className = "" }: { children: ReactNode; className?: string }) {
  return <td className={`whitespace-nowrap px-4 py-2.5 text-slate-700 ${className}`}>{children}</td>;
}
