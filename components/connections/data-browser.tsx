"use client";

import { Fragment, useState, type FormEvent } from "react";
import { formatCount, humanize } from "@/lib/format";
import type { RecordView } from "@/lib/sync/reads";
import type { RecordColumn } from "@/lib/unified/columns";
import { DateTime } from "@/components/ui/date-time";
import { Section, SectionEmpty } from "@/components/ui/section";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy";
import { toDate } from "./status-card";
import { RequestFailed, useConnectionRecords, type RecordFilter } from "./use-connection";
import { TABLE_FRAME } from "@/components/ui/table";
import { WrittenMark } from "./written-mark";

const INPUT =
  "block rounded-md border border-slate-300 bg-surface px-2.5 py-1.5 text-sm text-slate-900 shadow-sm focus:border-brand-500 focus:outline-none focus:ring-1 focus:ring-brand-500";

/**
 * One object's stored records as the REST API serves them (lib/sync/reads.ts listRecords): ordered by
 * when Tributary last changed each, 20 a page over its keyset cursor, in the columns its category's
 * contract names (lib/unified/columns.ts); a row opens to the record's JSON. Narrowed to one id
 * (exact, the platform's or rec_…) or a text search over the object's searchable fields, server-side.
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
  const [filter, setFilter] = useState<RecordFilter>(null);
  const [draft, setDraft] = useState<{ by: "id" | "search"; value: string }>({ by: "search", value: "" });
  const cursor = cursors.at(-1) ?? null;
  const { data, error, isFetching, isPlaceholderData, refetch } = useConnectionRecords(
    connectionId,
    deleted || !ready ? null : object,
    cursor,
    version,
    filter,
  );
  // A new object starts on its first page, unfiltered (the parent may change it, from the records card).
  const [pageOf, setPageOf] = useState(object);
  if (pageOf !== object) {
    setPageOf(object);
    setCursors([]);
    setShown(new Set());
    setFilter(null);
    setDraft((current) => ({ ...current, value: "" }));
  }

  const toggle = (id: string) =>
    setShown((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = draft.value.trim();
    setFilter(value ? { by: draft.by, value } : null);
    setCursors([]);
  };
  const clear = () => {
    setFilter(null);
    setDraft((current) => ({ ...current, value: "" }));
    setCursors([]);
  };

  const columns = data?.columns ?? [];
  const searchable = columns.filter((column) => column.search).map((column) => column.label.toLowerCase());

  return (
    <Section
      title="Data browser"
      description="The records stored for this connection, as your backend reads them through the API: oldest change first."
      actions={
        <div>
          <label htmlFor="data-browser-object" className="block text-xs font-medium text-slate-600">
            Object
          </label>
          <select id="data-browser-object" value={object ?? ""} onChange={(event) => onObject(event.target.value || null)} className={`mt-1 w-56 ${INPUT}`}>
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
      {ready && !deleted && object && (
        <form role="search" aria-label={`Search ${object}`} onSubmit={submit} className="mb-3 flex flex-wrap items-end gap-2">
          <div>
            <label htmlFor="data-browser-by" className="block text-xs font-medium text-slate-600">
              Find by
            </label>
            <select
              id="data-browser-by"
              value={draft.by}
              onChange={(event) => setDraft({ ...draft, by: event.target.value as "id" | "search" })}
              className={`mt-1 ${INPUT}`}
            >
              <option value="search">Text</option>
              <option value="id">Id (exact)</option>
            </select>
          </div>
          <div className="min-w-0 flex-1 basis-48">
            <label htmlFor="data-browser-query" className="block text-xs font-medium text-slate-600">
              {draft.by === "id" ? "Platform id or record id (rec_…)" : searchable.length ? `Text in ${searchable.join(", ")}` : "Text"}
            </label>
            <input
              id="data-browser-query"
              type="search"
              maxLength={draft.by === "id" ? 255 : 100}
              value={draft.value}
              onChange={(event) => setDraft({ ...draft, value: event.target.value })}
              placeholder={draft.by === "id" ? "e.g. 5810134433849" : "e.g. #1001 or jane@"}
              className={`mt-1 w-full ${INPUT}`}
            />
          </div>
          <Button type="submit" variant="secondary" disabled={isFetching && !data}>
            Search
          </Button>
          {filter && (
            <Button type="button" variant="ghost" onClick={clear}>
              Clear
            </Button>
          )}
        </form>
      )}
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
            : error instanceof RequestFailed && error.status === 400
              ? error.message
              : `The records could not be loaded: ${error.message}`}{" "}
          <button
            type="button"
            onClick={() => (error instanceof RequestFailed && error.status === 400 ? clear() : refetch())}
            className="font-medium underline"
          >
            {error instanceof RequestFailed && error.status === 400 ? "Clear the search" : "Try again"}
          </button>
        </div>
      ) : !data ? (
        <div className="h-40 animate-pulse rounded-lg border border-slate-200 bg-surface" aria-busy="true" aria-label="Loading records" />
      ) : data.records.length === 0 ? (
        <SectionEmpty>
          {filter ? `No ${object} match ${filter.by === "id" ? "the id" : "the text"} “${filter.value}”.` : `No ${object} stored for this connection.`}
        </SectionEmpty>
      ) : (
        <div className={`${TABLE_FRAME} transition-opacity ${isPlaceholderData ? "opacity-60" : ""}`} data-testid="data-browser-table">
          <table aria-label={`${object} records`} aria-busy={isFetching} className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className="px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
                  Id
                </th>
                {columns.map((column) => (
                  <th
                    key={column.field}
                    scope="col"
                    className={`px-3 py-2 text-xs font-semibold uppercase tracking-wide text-slate-500 ${column.kind === "money" ? "text-right" : "text-left"}`}
                  >
                    {column.label}
                  </th>
                ))}
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">Details</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {data.records.map((record) => {
                const key = `${record.object}:${record.id}`;
                const open = shown.has(key);
                return (
                  <Fragment key={key}>
                    <tr className={open ? "bg-slate-50/70" : undefined}>
                      <td className="whitespace-nowrap px-3 py-2">
                        <span className="inline-flex items-center gap-1.5">
                          <code className="font-mono text-xs font-medium text-slate-900">{record.id}</code>
                          <CopyButton value={record.id} label={`id ${record.id}`} variant="ghost">
                            Copy
                          </CopyButton>
                          {record.written_at && <WrittenMark at={record.written_at} />}
                        </span>
                      </td>
                      {columns.map((column) => (
                        <td
                          key={column.field}
                          className={`max-w-xs truncate whitespace-nowrap px-3 py-2 text-slate-700 ${column.kind === "money" ? "text-right tabular-nums" : ""}`}
                        >
                          <CellValue column={column} record={record} />
                        </td>
                      ))}
                      <td className="whitespace-nowrap px-3 py-2 text-right">
                        <button
                          type="button"
                          aria-expanded={open}
                          aria-label={`${open ? "Hide" : "Show"} the JSON of ${record.id}`}
                          onClick={() => toggle(key)}
                          className="rounded px-2 py-0.5 text-xs font-medium text-brand-700 hover:bg-brand-50"
                        >
                          {open ? "Hide JSON" : "JSON"}
                        </button>
                      </td>
                    </tr>
                    {open && (
                      <tr>
                        <td colSpan={columns.length + 2} className="px-3 pb-3">
                          <div className="flex flex-wrap items-center gap-x-4 gap-y-1 py-1.5 text-xs text-slate-500">
                            {record.record_id && (
                              <span className="inline-flex items-center gap-1.5">
                                record <code className="font-mono text-slate-800">{record.record_id}</code>
                                <CopyButton value={record.record_id} label={`record id ${record.record_id}`} variant="ghost">
                                  Copy
                                </CopyButton>
                              </span>
                            )}
                            <span>
                              stored <DateTime value={toDate(record.updated_at)} />
                            </span>
                            {record.written_at && (
                              <span>
                                written through the API <DateTime value={toDate(record.written_at)} />
                              </span>
                            )}
                            <span className="ml-auto">
                              <CopyButton value={JSON.stringify(record.data, null, 2)} label={`JSON of ${record.id}`} variant="ghost">
                                Copy JSON
                              </CopyButton>
                            </span>
                          </div>
                          <pre className="max-h-80 overflow-auto rounded-md bg-slate-50 px-3 py-2 font-mono text-xs text-slate-800 ring-1 ring-inset ring-slate-200">
                            {JSON.stringify(record.data, null, 2)}
                          </pre>
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
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

const STATUS_TONE: Record<string, string> = {
  paid: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  fulfilled: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  solved: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  closed: "bg-slate-100 text-slate-600 ring-slate-200",
  active: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  open: "bg-sky-50 text-sky-700 ring-sky-200",
  new: "bg-sky-50 text-sky-700 ring-sky-200",
  pending: "bg-amber-50 text-amber-800 ring-amber-200",
  urgent: "bg-red-50 text-red-700 ring-red-200",
  high: "bg-amber-50 text-amber-800 ring-amber-200",
  void: "bg-slate-100 text-slate-600 ring-slate-200",
  refunded: "bg-slate-100 text-slate-600 ring-slate-200",
};

function CellValue({ column, record }: { column: RecordColumn; record: RecordView }) {
  const value = record.data[column.field];
  if (value === null || value === undefined || value === "") return <span className="text-slate-400">—</span>;
  switch (column.kind) {
    case "money": {
      const currency = column.currency ? record.data[column.currency] : null;
      return (
        <>
          {String(value)}
          {typeof currency === "string" && <span className="ml-1 text-xs text-slate-500">{currency}</span>}
        </>
      );
    }
    case "instant":
      return <DateTime value={toDate(String(value))} />;
    case "status": {
      const text = typeof value === "boolean" ? (value ? "yes" : "no") : String(value);
      return (
        <span
          className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATUS_TONE[text] ?? "bg-slate-50 text-slate-700 ring-slate-200"}`}
        >
          {humanize(text)}
        </span>
      );
    }
    case "date":
    case "number":
      return <span className="tabular-nums">{String(value)}</span>;
    default:
      return <span title={String(value)}>{String(value)}</span>;
  }
}
