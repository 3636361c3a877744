"use client";

import { useState } from "react";
import { formatCount } from "@/lib/format";
import { DateTime } from "@/components/ui/date-time";
import { Section, SectionEmpty } from "@/components/ui/section";
import { Button } from "@/components/ui/button";
import { toDate } from "./status-card";
import { RequestFailed, useConnectionRecords } from "./use-connection";

/**
 * One object's stored records as the REST API serves them (lib/sync/reads.ts listRecords): ordered by
 * when Tributary last changed each, 20 a page over its keyset cursor, each record's JSON on demand.
 */
export function DataBrowser({
  connectionId,
  objects,
  counts,
  ready,
  deleted,
  object,
  onObject,
  version,
}: {
  connectionId: string;
  /** A deleted connection's records are gone: nothing to browse. */
  deleted: boolean;
  /** The connection's state (latest run, health): the page shown is read again when it changes. */
  version: string;
  objects: string[];
  counts: Map<string, number>;
  ready: boolean;
  object: string | null;
  onObject: (object: string | null) => void;
}) {
  const [cursors, setCursors] = useState<string[]>([]);
  const [shown, setShown] = useState<Set<string>>(new Set());
  const cursor = cursors.at(-1) ?? null;
  const { data, error, isFetching, isPlaceholderData, refetch } = useConnectionRecords(connectionId, deleted || !ready ? null : object, cursor, version);
  // A new object starts on its first page (the parent may change it, from the records card).
  const [pageOf, setPageOf] = useState(object);
  if (pageOf !== object) {
    setPageOf(object);
    setCursors([]);
    setShown(new Set());
  }

  const toggle = (id: string) =>
    setShown((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Section
      title="Data browser"
      description="The records stored for this connection, as your backend reads them through the API: oldest change first."
      actions={
        <div>
          <label htmlFor="data-browser-object" className="block text-xs font-medium text-slate-600">
            Object
          </label>
          <select
            id="data-browser-object"
            value={object ?? ""}
            onChange={(event) => onObject(event.target.value || null)}
            className="mt-1 block w-56 rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 shadow-sm focus:border-brand-500 focus:outline-none focus:ring-1 focus:ring-brand-500"
          >
            <option value="">Choose an object</option>
            {objects.map((name) => (
              <option key={name} value={name}>
                {name} ({formatCount(counts.get(name) ?? 0)})
              </option>
            ))}
          </select>
        </div>
      }
    >
      {deleted ? (
        <SectionEmpty>This connection was deleted, and its records with it.</SectionEmpty>
      ) : !ready ? (
        <SectionEmpty>Records can be browsed once the first batch is done and the connection is ready.</SectionEmpty>
      ) : !object ? (
        <SectionEmpty>Choose an object to page through its records.</SectionEmpty>
      ) : error ? (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-5 py-4 text-sm text-red-800">
          {error instanceof RequestFailed && error.code === "PRODUCT_NOT_READY"
            ? "This connection is not ready yet: its first batch is still running."
            : `The records could not be loaded: ${error.message}`}{" "}
          <button type="button" onClick={() => refetch()} className="font-medium underline">
            Try again
          </button>
        </div>
      ) : !data ? (
        <div className="h-40 animate-pulse rounded-lg border border-slate-200 bg-white" aria-busy="true" aria-label="Loading records" />
      ) : data.records.length === 0 ? (
        <SectionEmpty>No {object} stored for this connection.</SectionEmpty>
      ) : (
        <ul
          aria-label={`${object} records`}
          aria-busy={isFetching}
          className={`divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm transition-opacity ${isPlaceholderData ? "opacity-60" : ""}`}
        >
          {data.records.map((record) => {
            const key = `${record.object}:${record.id}`;
            return (
              <li key={key} className="px-4 py-2.5">
                <div className="flex flex-wrap items-center gap-x-6 gap-y-1 text-sm">
                  <span className="min-w-40 font-mono text-xs font-medium text-slate-900">{record.id}</span>
                  <span className="text-xs text-slate-500">
                    updated <DateTime value={toDate(record.updated_at)} />
                  </span>
                  {record.platform_updated_at && (
                    <span className="text-xs text-slate-500">
                      on the platform <DateTime value={toDate(record.platform_updated_at)} />
                    </span>
                  )}
                  <button
                    type="button"
                    aria-expanded={shown.has(key)}
                    onClick={() => toggle(key)}
                    className="ml-auto rounded px-2 py-0.5 text-xs font-medium text-brand-700 hover:bg-brand-50"
                  >
                    {shown.has(key) ? "Hide JSON" : "JSON"}
                  </button>
                </div>
                {shown.has(key) && (
                  <pre className="mt-2 max-h-80 overflow-auto rounded-md bg-slate-50 px-3 py-2 font-mono text-xs text-slate-800 ring-1 ring-inset ring-slate-200">
                    {JSON.stringify(record.data, null, 2)}
                  </pre>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {ready && !deleted && object && data && (cursors.length > 0 || data.next_cursor) && (
        <nav aria-label="Record pages" className="mt-3 flex items-center justify-between gap-3 text-sm">
          <span className="text-slate-500">Page {cursors.length + 1}</span>
          <div className="flex gap-2">
            <Button
              type="button"
              variant="secondary"
              disabled={cursors.length === 0 || isFetching}
              onClick={() => setCursors((current) => current.slice(0, -1))}
            >
              Previous page
            </Button>
            <Button
              type="button"
              variant="secondary"
              disabled={!data.next_cursor || isFetching}
              onClick={() => data.next_cursor && setCursors((current) => [...current, data.next_cursor!])}
            >
              Next page
            </Button>
          </div>
        </nav>
      )}
    </Section>
  );
}
