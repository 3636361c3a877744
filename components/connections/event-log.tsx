"use client";

import { Fragment, useState } from "react";
import { DateTime } from "@/components/ui/date-time";
import { Section, SectionEmpty } from "@/components/ui/section";
import { Button } from "@/components/ui/button";
import { toDate } from "./status-card";
import { useConnectionEvents } from "./use-connection";

/**
 * The connection's events, newest first, 25 a page: a type filter, older/newer pages over keyset
 * cursors (the cursors of the pages before are kept, so "Newer" goes back exactly), each event's
 * JSON on demand. The newest page refreshes while a run is active.
 */
export function EventLog({ connectionId, types, live, version }: { connectionId: string; types: string[]; live: boolean; version: string }) {
  const [type, setType] = useState<string | null>(null);
  // cursors[i] opens page i + 1; the first page has none.
  const [cursors, setCursors] = useState<string[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const cursor = cursors.at(-1) ?? null;
  const { data, error, isPending, isFetching, isPlaceholderData, refetch } = useConnectionEvents(connectionId, type, cursor, live, version);

  return (
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
            className="mt-1 block w-64 rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 shadow-sm focus:border-brand-500 focus:outline-none focus:ring-1 focus:ring-brand-500"
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
      {error ? (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-5 py-4 text-sm text-red-800">
          The events could not be loaded: {error.message}{" "}
          <button type="button" onClick={() => refetch()} className="font-medium underline">
            Try again
          </button>
        </div>
      ) : isPending ? (
        <div className="h-40 animate-pulse rounded-lg border border-slate-200 bg-white" aria-busy="true" aria-label="Loading events" />
      ) : data.events.length === 0 ? (
        <SectionEmpty>{type ? `No ${type} events for this connection.` : "No events yet."}</SectionEmpty>
      ) : (
        <div
          className={`overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm transition-opacity ${isPlaceholderData ? "opacity-60" : ""}`}
          aria-busy={isFetching}
        >
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
                    <td className="whitespace-nowrap px-4 py-2 font-mono text-xs text-slate-500">{event.syncRunId ?? "—"}</td>
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
  );
}
