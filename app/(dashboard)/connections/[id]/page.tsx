import type { ReactNode } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireContext } from "@/lib/auth/context";
import { getConnectionDetail, type ConnectionDetail } from "@/lib/presenters/connections";
import { platformName } from "@/lib/platforms/catalog";
import { formatCount, formatDuration, humanize, plural } from "@/lib/format";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { Section, SectionEmpty } from "@/components/ui/section";
import { Badge } from "@/components/ui/badge";
import { Table, Cell } from "@/components/ui/table";
import { DateTime } from "@/components/ui/date-time";
import { DescriptionList } from "@/components/ui/description-list";
import { HealthBadge, StageBadge, StatusBadge, YesNoBadge } from "@/components/ui/status-badge";

export const metadata = { title: "Connection" };

export default async function ConnectionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const context = await requireContext();
  const detail = await getConnectionDetail(context.db, id);
  if (!detail) notFound();
  const { connection, runs, events, records } = detail;
  const now = new Date();
  const title = connection.accountName ?? connection.platformAccountId ?? connection.id;

  return (
    <>
      <Link href="/connections" className="mb-3 inline-block text-sm font-medium text-brand-700 hover:underline">
        ← All connections
      </Link>
      <PageHeader
        title={title}
        description={
          <>
            {platformName(connection.platform)} connection <code className="font-mono text-xs">{connection.id}</code>: its sync status, recent runs and events,
            and the records synced so far.
          </>
        }
      />
      {connection.deletedAt && (
        <p role="status" className="mb-4 rounded-md border border-red-200 bg-red-50 px-4 py-2.5 text-sm text-red-800">
          This connection was deleted on <DateTime value={connection.deletedAt} now={now} />: it no longer syncs and its data is no longer served.
        </p>
      )}
      <div className="grid gap-6 xl:grid-cols-3">
        <div className="xl:col-span-2">
          <StatusCard connection={connection} now={now} />
        </div>
        <Card title="Records" description="Synced records per object, deleted ones excluded.">
          {records.length === 0 ? (
            <p className="text-sm text-slate-600">No records yet. Counts appear here as the initial batch fetches this account&apos;s data.</p>
          ) : (
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
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {records.map((row) => (
                  <tr key={row.object}>
                    <th scope="row" className="py-2 text-left font-normal text-slate-700">
                      {row.object}
                    </th>
                    <td className="py-2 text-right tabular-nums text-slate-900">{formatCount(row.count)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr className="border-t border-slate-200">
                  <th scope="row" className="pt-2 text-left font-semibold text-slate-900">
                    Total
                  </th>
                  <td className="pt-2 text-right font-semibold tabular-nums text-slate-900">{formatCount(records.reduce((sum, row) => sum + row.count, 0))}</td>
                </tr>
              </tfoot>
            </table>
          )}
        </Card>
      </div>
      <div className="mt-6 space-y-6">
        <Section title="Recent sync runs" description="The latest 20 runs for this connection, newest first.">
          {runs.length === 0 ? (
            <SectionEmpty>
              No sync runs yet. The first run, the initial batch, is queued as soon as the connection is created; its progress will show here.
            </SectionEmpty>
          ) : (
            <Table head={["Kind", "Status", "Objects", "Started", "Finished", "Duration"]}>
              {runs.map((run) => (
                <tr key={run.id}>
                  <Cell>
                    {humanize(run.kind)}
                    {run.batchPosition !== null && <span className="text-slate-500"> · batch {run.batchPosition}</span>}
                  </Cell>
                  <Cell>
                    <StatusBadge status={run.status} />
                  </Cell>
                  <Cell>
                    <div className="max-w-sm whitespace-normal">{run.objects.length ? run.objects.join(", ") : "—"}</div>
                  </Cell>
                  <Cell>
                    <DateTime value={run.startedAt} now={now} />
                  </Cell>
                  <Cell>
                    <DateTime value={run.finishedAt} now={now} />
                  </Cell>
                  <Cell className="tabular-nums">{formatDuration(run.startedAt, run.finishedAt)}</Cell>
                </tr>
              ))}
            </Table>
          )}
        </Section>
        <Section title="Recent events" description="The latest 20 events about this connection; the same events are delivered to your webhooks.">
          {events.length === 0 ? (
            <SectionEmpty>
              No events yet. <code className="font-mono text-xs">CONNECTION_CREATED</code>, sync progress and data changes will be listed here as they happen.
            </SectionEmpty>
          ) : (
            <Table head={["Type", "Object", "Created", "Event id"]}>
              {events.map((event) => (
                <tr key={event.id}>
                  <Cell className="font-mono text-xs text-slate-900">{event.type}</Cell>
                  <Cell>{event.object ?? "—"}</Cell>
                  <Cell>
                    <DateTime value={event.createdAt} now={now} />
                  </Cell>
                  <Cell className="font-mono text-xs text-slate-500">{event.id}</Cell>
                </tr>
              ))}
            </Table>
          )}
        </Section>
      </div>
    </>
  );
}

function StatusCard({ connection, now }: { connection: ConnectionDetail["connection"]; now: Date }) {
  const progress = connection.batchesTotal ? Math.min(100, Math.round((connection.batchesCompleted / connection.batchesTotal) * 100)) : 0;
  const items: [string, ReactNode][] = [
    ["Stage", <StageBadge key="stage" stage={connection.stage} />],
    ["Health", <HealthBadge key="health" health={connection.health} />],
    [
      "Ready",
      <span key="ready" className="inline-flex items-center gap-2">
        <YesNoBadge value={connection.isReady} />
        <span className="text-xs text-slate-500">{connection.isReady ? "data reads are served" : "reads answer 409 until the first batch is done"}</span>
      </span>,
    ],
    [
      "Batches completed",
      connection.batchesTotal ? (
        <div key="batches">
          <span className="tabular-nums">
            {connection.batchesCompleted} of {plural(connection.batchesTotal, "batch", "batches")}
          </span>
          <div
            className="mt-1.5 h-1.5 w-40 rounded-full bg-slate-100"
            role="progressbar"
            aria-label="Batches completed"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={progress}
          >
            <div className="h-1.5 rounded-full bg-brand-500" style={{ width: `${progress}%` }} />
          </div>
        </div>
      ) : (
        <span key="batches" className="text-slate-500">
          Not planned yet
        </span>
      ),
    ],
    ["Last sync completed", <DateTime key="last" value={connection.lastSyncCompletedAt} now={now} />],
    [
      "Next sync",
      connection.incrementalPausedAt ? (
        <span key="next">
          Paused for a backfill since <DateTime value={connection.incrementalPausedAt} now={now} />
        </span>
      ) : (
        <DateTime key="next" value={connection.nextSyncAt} now={now} />
      ),
    ],
    ["Created", <DateTime key="created" value={connection.createdAt} now={now} />],
    [
      "Platform account",
      connection.platformAccountId ? (
        <code key="account" className="font-mono text-xs">
          {connection.platformAccountId}
        </code>
      ) : (
        "—"
      ),
    ],
    [
      "End user reference",
      connection.endUserId ? (
        <code key="user" className="font-mono text-xs">
          {connection.endUserId}
        </code>
      ) : (
        "—"
      ),
    ],
  ];
  if (connection.disabledReason)
    items.push([
      "Disabled reason",
      <Badge key="reason" tone="red">
        {humanize(connection.disabledReason)}
      </Badge>,
    ]);
  if (connection.healthDetail) items.push(["Health detail", connection.healthDetail]);
  if (connection.consecutiveFailures > 0) items.push(["Consecutive failed runs", formatCount(connection.consecutiveFailures)]);
  return (
    <Card title="Status">
      <DescriptionList items={items} />
    </Card>
  );
}
