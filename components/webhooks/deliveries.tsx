"use client";

import { useQueryClient } from "@tanstack/react-query";
import { Fragment, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { StatusBadge } from "@/components/ui/status-badge";
import { formatDateTime, formatRelative } from "@/lib/format";
import Link from "next/link";
import { resendDeliveryAction, retryNowAction } from "@/lib/dashboard/webhooks/actions";
import { canRetryNow } from "./delivery-actions";
import { deliveriesKey, useDeliveries, type AttemptJson, type DeliveryJson } from "./use-deliveries";
import { TABLE_FRAME } from "@/components/ui/table";

const STATUSES = [
  ["", "All statuses"],
  ["pending", "Pending"],
  ["succeeded", "Succeeded"],
  ["failed", "Failed"],
  ["cancelled", "Cancelled"],
] as const;

/** An endpoint's deliveries, live: status filter, keyset pages, each delivery's attempts, resend. */
export function Deliveries({ endpointId, canManage }: { endpointId: string; canManage: boolean }) {
  const [status, setStatus] = useState("");
  // The cursors of the pages before this one, to go back to newer deliveries.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1];
  const query = useDeliveries(endpointId, { status, cursor });
  const [open, setOpen] = useState<string | null>(null);

  return (
    <section aria-labelledby="deliveries-heading">
      <header className="mb-3 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="deliveries-heading" className="text-sm font-semibold text-slate-900">
            Deliveries
          </h2>
          <p className="mt-0.5 text-sm text-slate-500">
            Newest first, updated live. {query.isFetching && !query.isLoading ? <span className="text-slate-500">Refreshing…</span> : null}
          </p>
        </div>
        <div>
          <label htmlFor="delivery-status" className="sr-only">
            Delivery status
          </label>
          <select
            id="delivery-status"
            value={status}
            onChange={(event) => {
              setStatus(event.target.value);
              setCursors([null]);
            }}
            className="rounded-md border border-slate-300 bg-surface px-3 py-1.5 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100"
          >
            {STATUSES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </header>

      {query.isLoading ? (
        <div role="status" aria-busy="true" className="animate-pulse rounded-lg border border-slate-200 bg-surface">
          <span className="sr-only">Loading deliveries…</span>
          {[0, 1, 2, 3].map((index) => (
            <div key={index} className="flex gap-6 border-b border-slate-100 px-4 py-3 last:border-0">
              <div className="h-4 w-1/4 rounded bg-slate-200/80" />
              <div className="h-4 w-1/6 rounded bg-slate-200/60" />
              <div className="h-4 w-1/5 rounded bg-slate-200/60" />
            </div>
          ))}
        </div>
      ) : query.isError && !query.data ? (
        <div role="alert" className="rounded-lg border border-red-200 bg-surface px-5 py-4 text-sm text-red-700">
          {query.error.message}{" "}
          <button type="button" onClick={() => query.refetch()} className="font-medium underline">
            Retry
          </button>
        </div>
      ) : query.data && query.data.deliveries.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-surface px-5 py-4 text-sm text-slate-600">
          {status
            ? `No ${status} deliveries.`
            : "Nothing delivered to this endpoint yet. Send a test event, or wait for an event it subscribes to (a customer connecting an account, a sync finishing)."}
        </p>
      ) : query.data ? (
        <>
          {query.isError && (
            <p role="alert" className="mb-2 text-sm text-red-700">
              Live updates paused: {query.error.message}
            </p>
          )}
          <div className={TABLE_FRAME}>
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <thead className="bg-slate-50">
                <tr>
                  {["Event", "Status", "Attempts", "Last answer", "Created", ""].map((cell, index) => (
                    <th key={index} scope="col" className="px-4 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
                      {cell || <span className="sr-only">Actions</span>}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {query.data.deliveries.map((delivery) => (
                  <Fragment key={delivery.id}>
                    <DeliveryRow
                      delivery={delivery}
                      expanded={open === delivery.id}
                      onToggle={() => setOpen(open === delivery.id ? null : delivery.id)}
                      endpointId={endpointId}
                      canManage={canManage}
                    />
                    {open === delivery.id && (
                      <tr className="bg-slate-50/70">
                        <td colSpan={6} className="px-4 py-3">
                          <Attempts delivery={delivery} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
          <nav aria-label="Delivery pages" className="mt-3 flex justify-end gap-2">
            <Button type="button" variant="secondary" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
              Newer
            </Button>
            <Button type="button" variant="secondary" disabled={!query.data.nextCursor} onClick={() => setCursors([...cursors, query.data.nextCursor])}>
              Older
            </Button>
          </nav>
        </>
      ) : null}
    </section>
  );
}

function latest(delivery: DeliveryJson): AttemptJson | undefined {
  return delivery.attempts[0];
}

export function answerText(attempt: AttemptJson | undefined): string {
  if (!attempt) return "Not attempted yet";
  const code = attempt.statusCode === null ? "No response" : `HTTP ${attempt.statusCode}`;
  return attempt.latencyMs === null ? code : `${code} · ${attempt.latencyMs} ms`;
}

function DeliveryRow({
  delivery,
  expanded,
  onToggle,
  endpointId,
  canManage,
}: {
  delivery: DeliveryJson;
  expanded: boolean;
  onToggle: () => void;
  endpointId: string;
  canManage: boolean;
}) {
  const queryClient = useQueryClient();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const attempt = latest(delivery);
  const ok = attempt?.statusCode !== null && attempt?.statusCode !== undefined && attempt.statusCode >= 200 && attempt.statusCode < 300;
  const act = (run: () => Promise<{ ok: true } | { ok: false; message: string }>, done: string) =>
    startTransition(async () => {
      const result = await run();
      setMessage(result.ok ? done : result.message);
      await queryClient.invalidateQueries({ queryKey: deliveriesKey(endpointId) });
    });
  const resend = () => act(() => resendDeliveryAction(delivery.id), "Queued");
  return (
    <tr>
      <td className="px-4 py-2.5">
        <Link
          href={`/webhooks/${endpointId}/deliveries/${delivery.id}`}
          aria-label={`Delivery ${delivery.eventType} ${delivery.id}`}
          className="font-mono text-xs font-medium text-brand-700 hover:underline"
        >
          {delivery.eventType}
        </Link>
        <div className="font-mono text-xs text-slate-500">{delivery.eventId}</div>
      </td>
      <td className="whitespace-nowrap px-4 py-2.5">
        <StatusBadge status={delivery.status} />
        {delivery.status === "pending" && delivery.attemptCount > 0 && delivery.nextAttemptAt && (
          <div className="mt-1 text-xs text-slate-500">retry {formatRelative(new Date(delivery.nextAttemptAt))}</div>
        )}
      </td>
      <td className="px-4 py-2.5 tabular-nums text-slate-700">{delivery.attemptCount}</td>
      <td className="whitespace-nowrap px-4 py-2.5">
        <span className={`font-mono text-xs ${attempt ? (ok ? "text-emerald-700" : "text-red-700") : "text-slate-500"}`}>{answerText(attempt)}</span>
        {attempt?.error && (
          <div className="max-w-xs truncate text-xs text-slate-500" title={attempt.error}>
            {attempt.error}
          </div>
        )}
      </td>
      <td className="whitespace-nowrap px-4 py-2.5 tabular-nums text-slate-700">
        <time dateTime={delivery.createdAt} title={formatRelative(new Date(delivery.createdAt))}>
          {formatDateTime(new Date(delivery.createdAt))}
        </time>
      </td>
      <td className="whitespace-nowrap px-4 py-2.5 text-right">
        <button
          type="button"
          aria-expanded={expanded}
          aria-label={`${expanded ? "Hide" : "Show"} attempts of ${delivery.eventType} ${delivery.id}`}
          onClick={onToggle}
          className="rounded-md px-2.5 py-1 text-sm font-medium text-brand-700 hover:bg-brand-50"
        >
          {expanded ? "Hide" : "Attempts"}
        </button>
        {canManage && canRetryNow(delivery) && (
          <button
            type="button"
            onClick={() => act(() => retryNowAction(endpointId, delivery.id), "Retrying now")}
            disabled={pending}
            aria-label={`Retry now ${delivery.eventType} ${delivery.id}`}
            className="rounded-md px-2.5 py-1 text-sm font-medium text-brand-700 hover:bg-brand-50 disabled:text-slate-400"
          >
            Retry now
          </button>
        )}
        {canManage && !canRetryNow(delivery) && (
          <button
            type="button"
            onClick={resend}
            disabled={pending || (delivery.status === "pending" && delivery.attemptCount === 0)}
            aria-label={`Resend ${delivery.eventType} ${delivery.id}`}
            className="rounded-md px-2.5 py-1 text-sm font-medium text-slate-700 hover:bg-slate-100 disabled:text-slate-400"
          >
            {pending ? "Resending…" : "Resend"}
          </button>
        )}
        <span aria-live="polite" className="block text-xs text-slate-500 empty:hidden">
          {message}
        </span>
      </td>
    </tr>
  );
}

function Attempts({ delivery }: { delivery: DeliveryJson }) {
  if (delivery.attempts.length === 0) return <p className="text-sm text-slate-500">No attempt yet: the first one is due now.</p>;
  return (
    <ol aria-label={`Attempts of ${delivery.id}`} className="space-y-2">
      {delivery.attempts.map((attempt) => {
        const ok = attempt.statusCode !== null && attempt.statusCode >= 200 && attempt.statusCode < 300;
        return (
          <li key={attempt.number} className="rounded-md border border-slate-200 bg-surface px-3 py-2">
            <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs">
              <span className="font-semibold text-slate-900">Attempt {attempt.number}</span>
              <span className={`font-mono ${ok ? "text-emerald-700" : "text-red-700"}`}>
                {attempt.statusCode === null ? "No response" : `HTTP ${attempt.statusCode}`}
              </span>
              <span className="tabular-nums text-slate-600">{attempt.latencyMs === null ? "—" : `${attempt.latencyMs} ms`}</span>
              <time dateTime={attempt.startedAt} className="tabular-nums text-slate-500">
                {formatDateTime(new Date(attempt.startedAt))}
              </time>
            </div>
            {attempt.error && <p className="mt-1 text-xs text-red-700">{attempt.error}</p>}
            {attempt.responseExcerpt ? (
              <pre className="mt-1.5 max-h-32 overflow-auto scheme-light rounded bg-slate-900 px-2.5 py-1.5 font-mono text-xs whitespace-pre-wrap text-slate-100">
                {attempt.responseExcerpt}
              </pre>
            ) : (
              <p className="mt-1 text-xs text-slate-500">Empty response body.</p>
            )}
          </li>
        );
      })}
    </ol>
  );
}
