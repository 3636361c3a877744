"use client";

import type { ReactNode } from "react";

export const inputClasses = (invalid: boolean, extra = "") =>
  `block rounded-md border px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 disabled:bg-slate-50 disabled:text-slate-500 ${
    invalid ? "border-red-400 focus:border-red-500 focus:ring-red-100" : "border-slate-300 focus:border-brand-500 focus:ring-brand-100"
  } ${extra}`;

/** A field's problems, right under it; the input points at them with aria-describedby. */
export function FieldErrors({ id, messages }: { id: string; messages?: string[] }) {
  if (!messages?.length) return null;
  return (
    <div id={id} className="mt-1.5 space-y-0.5">
      {messages.map((message) => (
        <p key={message} className="text-sm text-red-700">
          {message.charAt(0).toUpperCase() + message.slice(1)}
        </p>
      ))}
    </div>
  );
}

/**
 * A field a level may set or inherit. The switch says which; while inheriting, the inherited value is
 * shown instead of the input.
 */
export function InheritableField({
  id,
  label,
  hint,
  overriding,
  onToggle,
  inheritLabel,
  inherited,
  children,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  overriding: boolean;
  onToggle: (override: boolean) => void;
  inheritLabel: string;
  inherited: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="border-t border-slate-100 py-5 first:border-t-0 first:pt-0">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h3 id={`${id}-label`} className="text-sm font-semibold text-slate-900">
            {label}
          </h3>
          {hint && <p className="mt-0.5 max-w-2xl text-sm text-slate-600">{hint}</p>}
        </div>
        <div
          role="group"
          aria-labelledby={`${id}-label`}
          className="inline-flex shrink-0 rounded-md border border-slate-300 bg-surface p-0.5 text-xs font-medium"
        >
          {[false, true].map((value) => (
            <button
              key={String(value)}
              type="button"
              aria-pressed={overriding === value}
              onClick={() => onToggle(value)}
              className={`rounded px-2.5 py-1 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-300 ${
                overriding === value ? "bg-slate-800 text-white dark:bg-slate-300" : "text-slate-700 hover:bg-slate-100"
              }`}
            >
              {value ? "Set here" : inheritLabel}
            </button>
          ))}
        </div>
      </div>
      <div className="mt-3">{overriding ? children : <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600">{inherited}</p>}</div>
    </div>
  );
}
