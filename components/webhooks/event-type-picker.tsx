"use client";

import { useId, useMemo, useState } from "react";
import type { EventTypeGroup } from "@/lib/presenters/webhooks";

/**
 * Which events an endpoint receives: everything (no filter), or the chosen types and wildcard
 * patterns. The choice is posted as repeated `event_types` fields; the server validates each against
 * the catalogue and the error is shown under this fieldset.
 */
export function EventTypePicker({ groups, initial, error, errorId }: { groups: EventTypeGroup[]; initial: string[]; error?: string; errorId: string }) {
  const [mode, setMode] = useState<"all" | "some">(initial.length ? "some" : "all");
  const [selected, setSelected] = useState<string[]>(initial);
  const [filter, setFilter] = useState("");
  const [custom, setCustom] = useState("");
  const id = useId();
  const known = useMemo(() => new Set(groups.flatMap((group) => group.types)), [groups]);
  const shown = useMemo(() => {
    const needle = filter.trim().toUpperCase().replace(/\s+/g, "_");
    return groups
      .map((group) => ({ ...group, types: group.types.filter((type) => !needle || type.includes(needle) || group.label.toUpperCase().includes(needle)) }))
      .filter((group) => group.types.length);
  }, [groups, filter]);
  const toggle = (type: string) => setSelected((current) => (current.includes(type) ? current.filter((t) => t !== type) : [...current, type]));
  const addCustom = () => {
    const pattern = custom.trim().toUpperCase();
    if (pattern && !selected.includes(pattern)) setSelected([...selected, pattern]);
    setCustom("");
  };

  return (
    <fieldset aria-describedby={error ? errorId : undefined} aria-invalid={error ? true : undefined}>
      <legend className="block text-sm font-medium text-slate-700">Event types</legend>
      <div className="mt-2 flex flex-wrap gap-4 text-sm">
        <label className="flex items-center gap-2">
          <input type="radio" name={`${id}-mode`} checked={mode === "all"} onChange={() => setMode("all")} className="accent-brand-600" />
          All events
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name={`${id}-mode`} checked={mode === "some"} onChange={() => setMode("some")} className="accent-brand-600" />
          Only the types I choose
        </label>
      </div>
      {mode === "some" && (
        <div className="mt-3 rounded-md border border-slate-200">
          {selected.length > 0 && (
            <ul aria-label="Chosen event types" className="flex flex-wrap gap-1.5 border-b border-slate-100 px-3 py-2">
              {selected.map((type) => (
                <li key={type}>
                  <button
                    type="button"
                    onClick={() => toggle(type)}
                    aria-label={`Remove ${type}`}
                    className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 font-mono text-xs ring-1 ring-inset hover:bg-slate-200 focus:outline-none focus:ring-2 focus:ring-brand-500 ${
                      known.has(type) ? "bg-slate-100 text-slate-800 ring-slate-200" : "bg-amber-50 text-amber-900 ring-amber-200"
                    }`}
                  >
                    {type} <span aria-hidden="true">×</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="flex flex-wrap gap-2 border-b border-slate-100 px-3 py-2">
            <label htmlFor={`${id}-filter`} className="sr-only">
              Filter event types
            </label>
            <input
              id={`${id}-filter`}
              type="search"
              value={filter}
              onChange={(event) => setFilter(event.target.value)}
              placeholder="Filter: order, failed, connection…"
              className="min-w-48 flex-1 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100"
            />
            <label htmlFor={`${id}-custom`} className="sr-only">
              Add a pattern
            </label>
            <input
              id={`${id}-custom`}
              type="text"
              value={custom}
              onChange={(event) => setCustom(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === "Enter") {
                  event.preventDefault();
                  addCustom();
                }
              }}
              placeholder="Pattern, e.g. INVOICE_*"
              autoComplete="off"
              className="w-48 rounded-md border border-slate-300 px-2.5 py-1.5 font-mono text-xs focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100"
            />
            <button
              type="button"
              onClick={addCustom}
              className="rounded-md border border-slate-300 bg-surface px-2.5 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50"
            >
              Add pattern
            </button>
          </div>
          <div className="max-h-72 overflow-y-auto px-3 py-2">
            {shown.length === 0 && <p className="py-2 text-sm text-slate-500">No event type matches “{filter}”.</p>}
            {shown.map((group) => (
              <fieldset key={group.label} className="py-1.5">
                <legend className="text-xs font-semibold uppercase tracking-wide text-slate-500">{group.label}</legend>
                <div className="mt-1 grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-2 lg:grid-cols-3">
                  {group.types.map((type) => (
                    <label key={type} className="flex items-center gap-2 font-mono text-xs text-slate-800">
                      <input type="checkbox" checked={selected.includes(type)} onChange={() => toggle(type)} className="accent-brand-600" />
                      {type}
                    </label>
                  ))}
                </div>
              </fieldset>
            ))}
          </div>
        </div>
      )}
      {mode === "some" && selected.map((type) => <input key={type} type="hidden" name="event_types" value={type} />)}
      <p className="mt-1.5 text-xs text-slate-500">
        {mode === "all"
          ? "Every event of this environment, including event types added later."
          : `${selected.length} chosen. A * matches any run of characters.`}
      </p>
      {error && (
        <p id={errorId} className="mt-1.5 text-sm text-red-700">
          {error}
        </p>
      )}
    </fieldset>
  );
}
