"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { Card, Stat } from "@/components/ui/card";
import { DescriptionList } from "@/components/ui/description-list";
import { Section, SectionEmpty } from "@/components/ui/section";
import { StatusBadge } from "@/components/ui/status-badge";
import { Cell, Table } from "@/components/ui/table";
import { Notice } from "@/components/ui/dialog";
import { formatCount, formatDuration, plural } from "@/lib/format";
import type { JobRunJson, RunEventJson, RunWaitJson } from "@/lib/presenters/sync-jobs";
import { stopRunAction } from "@/lib/dashboard/sync-jobs/actions";
import { ConfirmedButton } from "@/components/ui/confirm-dialog";
import { startedBy } from "./runs-table";
import { useJobRun, useRefreshRun } from "./use-job-run";
import { describeProgress, formatRate, runProgress, type RunProgress } from "@/components/timeline/progress";

const toDate = (value: string | null) => (value ? new Date(value) : null);

/** "2026-11-23 05:45:12 UTC": a run's times to the second. */
function seconds(value: string | null): string {
  return value ? `${value.slice(0, 19).replace("T", " ")} UTC` : "—";
}

function Banner({ tone, title, children }: { tone: "blue" | "amber" | "red" | "gray"; title: string; children?: ReactNode }) {
  const tones = {
    blue: "border-brand-100 bg-brand-50 text-brand-900",
    amber: "border-amber-200 bg-amber-50 text-amber-900",
    red: "border-red-200 bg-red-50 text-red-800",
    gray: "border-slate-200 bg-slate-50 text-slate-700",
  };
  return (
    <div role="status" className={`mb-6 rounded-lg border px-4 py-3 text-sm ${tones[tone]}`}>
      <p className="font-semibold">{title}</p>
      {children && <div className="mt-0.5">{children}</div>}
    </div>
  );
}

function WaitBanner({ wait, platform }: { wait: RunWaitJson; platform: string }) {
  if (wait.kind === "queued")
    return (
      <Banner tone="blue" title="Queued">
        A worker picks the run up within a few seconds.
      </Banner>
    );
  if (wait.kind === "rate_limited") {
    return (
      <Banner tone="amber" title={`Rate limited by ${platform} until ${seconds(wait.until)}`}>
        The platform asked to slow down: the run resumes on its own then, where it stopped.
      </Banner>
    );
  }
  const answer = wait.lastStatusCode ? `answered HTTP ${wait.lastStatusCode}` : wait.lastError ? `failed: ${wait.lastError}` : null;
  return (
    <Banner tone="amber" title={`Waiting for the endpoint to accept ${wait.eventType}`}>
      {wait.attempts > 0 ? `${plural(wait.attempts, "attempt")} so far; the last ${answer ?? "got no answer"}. ` : "Not attempted yet. "}
      The run goes on once the endpoint answers 2xx{wait.nextAttemptAt ? `; next attempt at ${seconds(wait.nextAttemptAt)}` : ""}.
    </Banner>
  );
}

function ErrorBanner({ run }: { run: JobRunJson }) {
  if (!run.error) return null;
  const cancelled = run.status === "cancelled";
  return (
    <Banner tone={cancelled ? "gray" : "red"} title={cancelled ? "Cancelled" : "Failed"}>
      {run.error.message}
      {run.error.code !== run.status && <code className="ml-1.5 font-mono text-xs opacity-75">({run.error.code})</code>}
    </Banner>
  );
}

function StopButton({ run, onStopped }: { run: JobRunJson; onStopped: () => void }) {
  return (
    <ConfirmedButton
      label="Stop…"
      className="border-red-200 text-red-700 hover:bg-red-50"
      title="Stop this run?"
      confirmLabel="Stop run"
      pendingLabel="Stopping…"
      action={() => stopRunAction(run.id)}
      done={onStopped}
    >
      <p>
        The run ends now: nothing more is fetched or sent, and the event it is waiting on is cancelled. Events already accepted by the endpoint stay accepted.
      </p>
      <p>A new run starts from the beginning (or from the previous completed run&apos;s date).</p>
    </ConfirmedButton>
  );
}

function Delivery({ delivery }: { delivery: RunEventJson["delivery"] }) {
  if (!delivery) return <span className="text-slate-500">—</span>;
  const answer = delivery.lastStatusCode ? `HTTP ${delivery.lastStatusCode}` : delivery.lastError ? "no answer" : null;
  return (
    <span className="inline-flex items-center gap-2">
      <StatusBadge status={delivery.status} />
      {answer && <span className="text-xs tabular-nums text-slate-600">{answer}</span>}
      {delivery.attempts > 1 && <span className="text-xs text-slate-500">{plural(delivery.attempts, "attempt")}</span>}
    </span>
  );
}

function Events({ run }: { run: JobRunJson }) {
  const hidden = run.eventCount - run.events.length;
  return (
    <Section
      title="Events"
      description={
        hidden > 0
          ? `The last ${run.events.length} of ${formatCount(run.eventCount)} events sent to the endpoint, oldest first.`
          : "Every event sent to the endpoint, in order. Each waits for a 2xx before the run goes on."
      }
    >
      {run.events.length === 0 ? (
        <SectionEmpty>{run.active ? "No event yet: SYNC_JOB_RUN_STARTED is sent as soon as a worker starts the run." : "This run sent no event."}</SectionEmpty>
      ) : (
        <Table head={["#", "Type", "Resource", "Records", "Parent", "Delivery", "Time (UTC)"]}>
          {run.events.map((event) => (
            <tr key={event.id}>
              <Cell className="tabular-nums text-slate-500">{event.sequence}</Cell>
              <Cell className="font-mono text-xs text-slate-900">{event.type}</Cell>
              <Cell className="font-mono text-xs">{event.resource ?? "—"}</Cell>
              <Cell className="tabular-nums">{event.records === null ? "—" : formatCount(event.records)}</Cell>
              <Cell className="font-mono text-xs text-slate-500">
                {event.parent ? (
                  `${event.parent.resource.split("/")[1] ?? event.parent.resource} ${event.parent.id ?? "?"}`
                ) : event.error ? (
                  <span className="whitespace-normal font-sans text-red-700">{event.error}</span>
                ) : (
                  "—"
                )}
              </Cell>
              <Cell>
                <Delivery delivery={event.delivery} />
              </Cell>
              <Cell className="tabular-nums text-slate-600">{event.createdAt.slice(11, 19)}</Cell>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
}

/**
 * A live run's progress: against the platform's counts when every root resource has one (the walk's
 * records under them — comments per ticket — have none, so their records are left out of the share),
 * otherwise the records so far and their rate.
 */
function jobProgress(run: JobRunJson, elapsedMs: number): RunProgress {
  const roots = run.resources.filter((resource) => resource.depth === 0);
  const counted = roots.length > 0 && roots.every((resource) => typeof resource.total === "number");
  if (!counted) return runProgress({ seen: run.totals.records, total: null, elapsedMs });
  return runProgress({
    seen: roots.reduce((sum, resource) => sum + resource.records, 0),
    total: roots.reduce((sum, resource) => sum + (resource.total ?? 0), 0),
    elapsedMs,
  });
}

/** One sync job run, live: status, what it waits for, progress per resource, and its event stream. */
export function RunView({ initial, canManage }: { initial: JobRunJson; canManage: boolean }) {
  const { data: run, error, isFetching } = useJobRun(initial);
  const refresh = useRefreshRun(initial.id);
  const now = new Date(run.now);
  const progress = run.active && run.startedAt ? jobProgress(run, now.getTime() - Date.parse(run.startedAt)) : null;

  return (
    <>
      <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-xl font-semibold tracking-tight text-slate-900">{run.job.name}</h1>
            <span data-testid="run-status">
              <StatusBadge status={run.status} />
            </span>
            {run.active && (
              <span className="inline-flex items-center gap-1.5 text-xs text-slate-500" aria-hidden="true">
                <span className={`size-2 rounded-full bg-brand-500 ${isFetching ? "opacity-100" : "opacity-60"} animate-pulse`} />
                Live
              </span>
            )}
          </div>
          <p className="mt-1 text-sm text-slate-500">
            Run <code className="font-mono text-xs">{run.id}</code> · started {startedBy(run)}
          </p>
        </div>
        {canManage && run.active && <StopButton run={run} onStopped={refresh} />}
      </div>
      {error && (
        <div className="mb-6">
          <Notice tone="error">Live updates paused: {error.message} The figures below may be out of date.</Notice>
        </div>
      )}
      {run.wait && <WaitBanner wait={run.wait} platform={run.connection.platformName} />}
      <ErrorBanner run={run} />
      <dl className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat
          label="Records"
          value={formatCount(run.totals.records)}
          hint={
            progress?.total != null
              ? describeProgress(progress)
              : `in ${plural(run.totals.pages, "page")}${progress?.perSecond != null ? ` · ${formatRate(progress.perSecond)}` : ""}`
          }
        />
        <Stat
          label="Requests"
          value={formatCount(run.totals.requests)}
          hint={run.totals.skipped ? `${formatCount(run.totals.skipped)} skipped` : "to the platform"}
        />
        <Stat label="Errors" value={formatCount(run.totals.errors)} hint="failed requests" />
        <Stat
          label="Duration"
          value={formatDuration(toDate(run.startedAt), toDate(run.finishedAt) ?? now)}
          hint={run.finishedAt ? `finished ${seconds(run.finishedAt)}` : run.startedAt ? "so far" : "not started"}
        />
      </dl>
      <Section title="Progress" description="Per resource, in the order the run walks them.">
        <Table head={["Resource", "Status", "Requests", "Pages", "Records", "Errors", "Skipped"]}>
          {run.resources.map((resource) => (
            <tr key={resource.resource} aria-label={resource.resource}>
              <Cell>
                <span style={{ paddingLeft: `${resource.depth * 1.25}rem` }} className="font-mono text-xs text-slate-900">
                  {resource.depth > 0 && <span className="mr-1 text-slate-400">└</span>}
                  {resource.resource}
                </span>
              </Cell>
              <Cell>
                <StatusBadge status={resource.status} />
              </Cell>
              <Cell className="tabular-nums">{formatCount(resource.requests)}</Cell>
              <Cell className="tabular-nums">{formatCount(resource.pages)}</Cell>
              <Cell className="tabular-nums font-medium text-slate-900">
                {formatCount(resource.records)}
                {typeof resource.total === "number" && <span className="font-normal text-slate-500"> of ~{formatCount(resource.total)}</span>}
              </Cell>
              <Cell className={`tabular-nums ${resource.errors ? "text-red-700" : ""}`}>{formatCount(resource.errors)}</Cell>
              <Cell className="tabular-nums">
                {resource.skipped ? (
                  <span title="Requests not made: the parent record lacked the field a placeholder needs">{formatCount(resource.skipped)}</span>
                ) : (
                  "0"
                )}
              </Cell>
            </tr>
          ))}
        </Table>
      </Section>
      <Card title="Details" className="mt-6">
        <DescriptionList
          columns={3}
          items={[
            [
              "Job",
              <Link key="job" href={`/sync-jobs/${run.job.id}`} className="text-brand-700 hover:underline">
                {run.job.name}
              </Link>,
            ],
            [
              "Connection",
              <Link key="connection" href={`/connections/${run.connection.id}`} className="text-brand-700 hover:underline">
                {run.connection.label}
              </Link>,
            ],
            [
              "Endpoint",
              run.endpoint ? (
                <Link key="endpoint" href={`/webhooks/${run.endpoint.id}`} className="break-all font-mono text-xs text-brand-700 hover:underline">
                  {run.endpoint.url}
                </Link>
              ) : (
                "Deleted"
              ),
            ],
            [
              "Args",
              <code key="args" className="break-all font-mono text-xs">
                {JSON.stringify(run.args)}
              </code>,
            ],
            [
              "Previous run",
              run.ignorePreviousRun ? (
                "Ignored: a full fetch"
              ) : run.previousRunDate ? (
                <span key="previous" className="tabular-nums">
                  Started {seconds(run.previousRunDate)}: changes since then
                </span>
              ) : run.startedAt ? (
                "None completed: a full fetch"
              ) : (
                "Decided when the run starts"
              ),
            ],
            [
              "Created · started",
              <span key="times" className="tabular-nums">
                {seconds(run.createdAt)} · {run.startedAt ? seconds(run.startedAt).slice(11) : "not yet"}
              </span>,
            ],
          ]}
        />
      </Card>
      <div className="mt-6">
        <Events run={run} />
      </div>
    </>
  );
}
