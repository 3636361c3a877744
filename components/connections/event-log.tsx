"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { Fragment, useState, type FormEvent } from "react";
import { DateTime } from "@/components/ui/date-time";
import { Section, SectionEmpty } from "@/components/ui/section";
import { Button } from "@/components/ui/button";
import { toDate } from "./status-card";
import { useConnectionEvents } from "./use-connection";
import { TABLE_FRAME } from "@/components/ui/table";
import { WrittenMark } from "./written-mark";

/** "2026-12-03 18:00" (24-hour, UTC) as the route's ISO instant; anything else is sent as typed, for the route to name. */
export function utcInput(value: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2})(?::(\d{2}))?)?$/.exec(value.trim());
  return match ? `${match[1]}T${match[2] ?? "00:00"}:${match[3] ?? "00"}Z` : value.trim();
}

const SEARCH_FIELDS = [
  { key: "event_id", label: "Event id", placeholder: "evt_…" },
  { key: "record_id", label: "Record id", placeholder: "rec_… or the platform's id" },
  { key: "from", label: "From (UTC)", placeholder: "2026-12-03 00:00" },
  { key: "to", label: "To (UTC)", placeholder: "2026-12-03 23:59" },
] as const;

const inputClass =
  "mt-1 block w-full rounded-md border border-slate-300 bg-surface px-2.5 py-1.5 text-sm text-slate-900 shadow-sm focus:border-brand-500 focus:outline-none focus:ring-1 focus:ring-brand-500";

/**
 * The connection's events, newest first, 25 a page: filters by type, event id, record id, run (from
 * a run page's link, ?run=) and UTC time range; older/newer pages over keyset cursors (the cursors of
 * the pages before are kept, so "Newer" goes back exactly), each event's JSON on demand. The newest
 * page refreshes while a run is active.
 */
export function EventLog({ connectionId, types, live, version }: { connectionId: string; types: string[]; live: boolean; version: string }) {
  const [type, setType] = useState<string | null>(null);
  const runFromUrl = useSearchParams().get("run");
  const [runId, setRunId] = useState<string | null>(runFromUrl);
  // What the form holds, and what was searched (the query's filters).
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [applied, setApplied] = useState<Record<string, string>>({});
  // cursors[i] opens page i + 1; the first page has none.
  const [cursors, setCursors] = useState<string[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const cursor = cursors.at(-1) ?? null;
  const search = runId ? { ...applied, run_id: runId } : applied;
  const { data, error, isPending, isFetching, isPlaceholderData, refetch } = useConnectionEvents(connectionId, type, cursor, live, version, search);
  const filtered = Object.keys(search).length > 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: Record<string, string> = {};
    for (const { key } of SEARCH_FIELDS) {
      const value = draft[key]?.trim();
      if (value) next[key] = key === "from" || key === "to" ? utcInput(value) : value;
    }
    setApplied(next);
    setCursors([]);
    setOpen(null);
  };

  return (
    <div id="event-log">
      <Section
        title="Event log"
        description="Everything Tributary recorded about this connection, newest first: the same events your webhooks receive."
        actions={
          <div>
            <label htmlFor="event-log-type" className="block text-xs font-medium text-slate-600">
              Type
            </label>
            <select
              id="event-log-type"
              value={type ?? ""}
              onChange={(event) => {
                setType(event.target.value || null);
                setCursors([]);
                setOpen(null);
              }}
              className="mt-1 block w-64 rounded-md border border-slate-300 bg-surface px-2.5 py-1.5 text-sm text-slate-900 shadow-sm focus:border-brand-500 focus:outline-none focus:ring-1 focus:ring-brand-500"
            >
              <option value="">All types</option>
              {types.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
        }
      >
        <form
          onSubmit={submit}
          role="search"
          aria-label="Search events"
          className="mb-3 grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-surface p-3 shadow-sm sm:grid-cols-2 lg:grid-cols-[repeat(4,minmax(0,1fr))_auto]"
        >
          {SEARCH_FIELDS.map(({ key, label, placeholder }) => (
            <div key={key}>
              <label htmlFor={`event-log-${key}`} className="block text-xs font-medium text-slate-600">
                {label}
              </label>
              <input
                id={`event-log-${key}`}
                value={draft[key] ?? ""}
                placeholder={placeholder}
                autoComplete="off"
                spellCheck={false}
                onChange={(event) => setDraft((current) => ({ ...current, [key]: event.target.value }))}
                className={`${inputClass} font-mono text-xs`}
              />
            </div>
          ))}
          <div className="flex items-end gap-2">
            <Button type="submit">Search</Button>
            {Object.keys(applied).length > 0 && (
              <Button
                type="button"
                variant="secondary"
                onClick={() => {
                  setDraft({});
                  setApplied({});
                  setCursors([]);
                }}
              >
                Clear
              </Button>
            )}
          </div>
        </form>
        {runId && (
          <p className="mb-3 flex flex-wrap items-center gap-2 text-sm text-slate-600">
            Events of run{" "}
            <Link href={`/connections/${connectionId}/runs/${runId}`} className="font-mono text-xs text-brand-700 hover:underline">
              {runId}
            </Link>
            <button
              type="button"
              onClick={() => {
                setRunId(null);
                setCursors([]);
              }}
              className="rounded px-1.5 py-0.5 text-xs font-medium text-brand-700 hover:bg-brand-50"
            >
              Show every run
            </button>
          </p>
        )}
        {error ? (
          <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-5 py-4 text-sm text-red-800">
            The events could not be loaded: {error.message}{" "}
            <button type="button" onClick={() => refetch()} className="font-medium underline">
              Try again
            </button>
          </div>
        ) : isPending ? (
          <div className="h-40 animate-pulse rounded-lg border border-slate-200 bg-surface" aria-busy="true" aria-label="Loading events" />
        ) : data.events.length === 0 ? (
          <SectionEmpty>{filtered ? "No event matches this search." : type ? `No ${type} events for this connection.` : "No events yet."}</SectionEmpty>
        ) : (
          <div className={`${TABLE_FRAME} transition-opacity ${isPlaceholderData ? "opacity-60" : ""}`} aria-busy={isFetching}>
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <caption className="sr-only">Events{type ? ` of type ${type}` : ""}</caption>
              <thead className="bg-slate-50">
                <tr>
                  {["Type", "Object", "Time", "Run", ""].map((head, index) => (
                    <th key={index} scope="col" className="px-4 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
                      {head || <span className="sr-only">Details</span>}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {data.events.map((event) => (
                  <Fragment key={event.id}>
                    <tr>
                      <td className="whitespace-nowrap px-4 py-2 font-mono text-xs text-slate-900">{event.type}</td>
                      <td className="whitespace-nowrap px-4 py-2 text-slate-700">{event.object ?? "—"}</td>
                      <td className="whitespace-nowrap px-4 py-2 text-slate-700">
                        <DateTime value={toDate(event.createdAt)} />
                      </td>
                      <td className="whitespace-nowrap px-4 py-2 font-mono text-xs text-slate-500">
                        {event.syncRunId ? (
                          <Link href={`/connections/${connectionId}/runs/${event.syncRunId}`} className="text-brand-700 hover:underline">
                            {event.syncRunId}
                          </Link>
                        ) : event.object ? (
                          // A record's event outside any run: only a write through the API makes one (lib/sync/process-page.ts).
                          <WrittenMark />
                        ) : (
                          "—"
                        )}
                      </td>
                      <td className="whitespace-nowrap px-4 py-2 text-right">
                        <button
                          type="button"
                          aria-expanded={open === event.id}
                          aria-controls={`event-${event.id}`}
                          onClick={() => setOpen((current) => (current === event.id ? null : event.id))}
                          className="rounded px-2 py-0.5 text-xs font-medium text-brand-700 hover:bg-brand-50"
                        >
                          {open === event.id ? "Hide data" : "Data"}
                        </button>
                      </td>
                    </tr>
                    {open === event.id && (
                      <tr id={`event-${event.id}`}>
                        <td colSpan={5} className="bg-slate-50 px-4 py-3">
                          <p className="mb-2 text-xs text-slate-500">
                            Event <code className="font-mono">{event.id}</code>
                          </p>
                          <pre className="max-h-72 overflow-auto whitespace-pre-wrap break-all font-mono text-xs text-slate-800">
                            {JSON.stringify(event.data, null, 2)}
                          </pre>
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data && (cursors.length > 0 || data.nextCursor) && (
          <nav aria-label="Event log pages" className="mt-3 flex items-center justify-between gap-3 text-sm">
            <span className="text-slate-500">Page {cursors.length + 1}</span>
            <div className="flex gap-2">
              <Button
                type="button"
                variant="secondary"
                disabled={cursors.length === 0 || isFetching}
                onClick={() => setCursors((current) => current.slice(0, -1))}
              >
                Newer
              </Button>
              <Button
                type="button"
                variant="secondary"
                disabled={!data.nextCursor || isFetching}
                onClick={() => data.nextCursor && setCursors((current) => [...current, data.nextCursor!])}
              >
                Older
              </Button>
            </div>
          </nav>
        )}
      </Section>
    </div>
  );
}
