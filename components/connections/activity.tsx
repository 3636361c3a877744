"use client";

import Link from "next/link";
import type { ConnectionStatusJson } from "@/lib/presenters/connections-detail";
import { formatCount, formatDuration, humanize } from "@/lib/format";
import { Card } from "@/components/ui/card";
import { Section, SectionEmpty } from "@/components/ui/section";
import { Table, Cell } from "@/components/ui/table";
import { DateTime } from "@/components/ui/date-time";
import { HealthBadge, StatusBadge } from "@/components/ui/status-badge";
import { Badge } from "@/components/ui/badge";
import type { ConnectionHealth } from "@/lib/generated/prisma/enums";
import { runTitle, toDate } from "./status-card";

/** Live records per object, each a way into the data browser. */
export function RecordsCard({ status, onBrowse }: { status: ConnectionStatusJson; onBrowse: (object: string) => void }) {
  return (
    <Card title="Records" description="Synced records per object, deleted ones excluded.">
      <table className="w-full text-sm">
        <caption className="sr-only">Records per object</caption>
        <thead>
          <tr className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <th scope="col" className="pb-2">
              Object
            </th>
            <th scope="col" className="pb-2 text-right">
              Records
            </th>
            <th scope="col" className="pb-2">
              <span className="sr-only">Browse</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {status.records.map((row) => (
            <tr key={row.object}>
              <th scope="row" className="py-2 text-left font-normal text-slate-700">
                {row.object}
              </th>
              <td className="py-2 text-right tabular-nums text-slate-900">{formatCount(row.count)}</td>
              <td className="py-2 pl-3 text-right">
                <button
                  type="button"
                  onClick={() => onBrowse(row.object)}
                  disabled={!status.connection.isReady || row.count === 0}
                  aria-label={`Browse ${row.object}`}
                  className="rounded px-1.5 py-0.5 text-xs font-medium text-brand-700 hover:bg-brand-50 disabled:cursor-default disabled:text-slate-400 disabled:hover:bg-transparent"
                >
                  Browse
                </button>
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="border-t border-slate-200">
            <th scope="row" className="pt-2 text-left font-semibold text-slate-900">
              Total
            </th>
            <td className="pt-2 text-right font-semibold tabular-nums text-slate-900">{formatCount(status.recordsTotal)}</td>
            <td />
          </tr>
        </tfoot>
      </table>
      {status.recordsTotal === 0 && <p className="mt-3 text-xs text-slate-500">Counts grow here as the first batch stores this account&apos;s data.</p>}
    </Card>
  );
}

export function RecentRuns({ status }: { status: ConnectionStatusJson }) {
  const now = new Date(status.now);
  return (
    <Section title="Recent sync runs" description="The latest 10 runs of this connection, newest first.">
      {status.recentRuns.length === 0 ? (
        <SectionEmpty>No sync runs yet. The first run, the initial batch, is queued as soon as the connection is created.</SectionEmpty>
      ) : (
        <Table head={["Run", "Status", "Objects", "Started", "Duration"]}>
          {status.recentRuns.map((run) => (
            <tr key={run.id}>
              <Cell>
                <span className="font-medium text-slate-900">{runTitle(run, status.connection.batchesTotal)}</span>
                <Link href={`/connections/${status.connection.id}/runs/${run.id}`} className="block font-mono text-xs text-brand-700 hover:underline">
                  {run.id}
                </Link>
              </Cell>
              <Cell>
                <StatusBadge status={run.status} />
                {run.error && (
                  <span className="mt-1 block max-w-56 truncate text-xs text-red-700" title={run.error}>
                    {run.error}
                  </span>
                )}
              </Cell>
              <Cell>
                <div className="max-w-56 whitespace-normal text-xs">{run.objects.length ? run.objects.join(", ") : "—"}</div>
              </Cell>
              <Cell>
                <DateTime value={toDate(run.startedAt)} now={now} stacked />
              </Cell>
              <Cell className="tabular-nums">
                {run.finishedAt ? formatDuration(toDate(run.startedAt), toDate(run.finishedAt)) : run.startedAt ? "running" : "—"}
              </Cell>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
}

const HEALTHS = new Set(["HEALTHY", "UNHEALTHY", "NEEDS_UPDATE", "DISABLED"]);

/** The connection's lifecycle and health transitions, newest first (CONNECTION_* events). */
export function HealthHistory({ status }: { status: ConnectionStatusJson }) {
  const now = new Date(status.now);
  return (
    <Section title="Health history" description="Every change of health, newest first.">
      {status.healthHistory.length === 0 ? (
        <SectionEmpty>No health events yet.</SectionEmpty>
      ) : (
        <ol className="rounded-lg border border-slate-200 bg-surface px-4 py-1 shadow-sm" aria-label="Health history">
          {status.healthHistory.map((event) => (
            <li key={event.id} className="flex gap-3 border-b border-slate-100 py-3 last:border-b-0">
              <div className="w-28 shrink-0">
                {event.type === "CONNECTION_DELETED" ? (
                  <Badge tone="red">Deleted</Badge>
                ) : event.health && HEALTHS.has(event.health) ? (
                  <HealthBadge health={event.health as ConnectionHealth} />
                ) : (
                  <Badge>{humanize(event.type.replace(/^CONNECTION_/, ""))}</Badge>
                )}
              </div>
              <div className="min-w-0 flex-1 text-sm">
                <p className="font-mono text-xs text-slate-900">{event.type}</p>
                <p className="text-xs text-slate-500">
                  <DateTime value={toDate(event.createdAt)} now={now} />
                  {event.previousHealth && <> · was {humanize(event.previousHealth).toLowerCase()}</>}
                </p>
                {(event.detail || event.error || event.disabledReason) && (
                  <p className="mt-1 break-words text-xs text-slate-700">
                    {[event.disabledReason && humanize(event.disabledReason), event.detail, event.error].filter(Boolean).join(" — ")}
                  </p>
                )}
              </div>
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}
