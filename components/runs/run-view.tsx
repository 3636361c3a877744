"use client";

import Link from "next/link";
import { useState } from "react";
import { Card, Stat } from "@/components/ui/card";
import { DescriptionList } from "@/components/ui/description-list";
import { Section, SectionEmpty } from "@/components/ui/section";
import { StatusBadge } from "@/components/ui/status-badge";
import { Cell, Table } from "@/components/ui/table";
import { Notice } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { runTitle } from "@/components/connections/status-card";
import { formatCount, formatDuration, humanize, plural } from "@/lib/format";
import type { RunPageJson, RunRequestJson } from "@/lib/runs/run-page";
import { useRun, useRunRequests } from "./use-run";

const toDate = (value: string | null) => (value ? new Date(value) : null);

/** "2026-11-23 05:45:12 UTC": a run's times to the second. */
function seconds(value: string | null): string {
  return value ? `${value.slice(0, 19).replace("T", " ")} UTC` : "—";
}

/** A request's answer, colored: 429 amber, other 4xx/5xx and no answer red. */
export function requestTone(request: Pick<RunRequestJson, "status" | "rateLimited">): "ok" | "limited" | "failed" {
  if (request.rateLimited || request.status === 429) return "limited";
  if (request.status === null || request.status >= 400) return "failed";
  return "ok";
}

const TONE_ROW = { ok: "", limited: "bg-amber-50", failed: "bg-red-50" } as const;
const TONE_TEXT = { ok: "text-slate-900", limited: "font-semibold text-amber-800", failed: "font-semibold text-red-700" } as const;

function RequestLog({ page }: { page: RunPageJson }) {
  const { connection, run, requestLog, totals } = page;
  // afters[i] opens page i + 1; the first page starts after 0.
  const [afters, setAfters] = useState<number[]>([]);
  const [failuresOnly, setFailuresOnly] = useState(false);
  const after = afters.at(-1) ?? 0;
  const query = useRunRequests(connection.id, run.id, after, failuresOnly, requestLog.firstPage);
  const data = after === 0 && !failuresOnly ? requestLog.firstPage : query.data;
  const dropped = Math.max(0, totals.requests - requestLog.kept);

  return (
    <Section
      title="Platform requests"
      description={
        dropped > 0
          ? `${formatCount(requestLog.kept)} of ${formatCount(totals.requests)} requests kept: the first and last 1,000 and every failure.`
          : "Every request this run sent to the platform, in order, with its answer and how long it took."
      }
      actions={
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            checked={failuresOnly}
            onChange={(event) => {
              setFailuresOnly(event.target.checked);
              setAfters([]);
            }}
            className="size-4 rounded border-slate-300"
          />
          Failures only ({formatCount(requestLog.failures)})
        </label>
      }
    >
      {query.error && !data ? (
        <Notice tone="error">The requests could not be loaded: {query.error.message}</Notice>
      ) : !data ? (
        <div className="h-40 animate-pulse rounded-lg border border-slate-200 bg-surface" aria-busy="true" aria-label="Loading requests" />
      ) : data.requests.length === 0 ? (
        <SectionEmpty>
          {failuresOnly
            ? "No request failed."
            : page.active
              ? "No request yet: they show here as the run sends them (written every 100)."
              : "This run sent no request to the platform."}
        </SectionEmpty>
      ) : (
        <div className={query.isPlaceholderData ? "opacity-60 transition-opacity" : ""}>
          <Table head={["#", "Status", "Latency", "Request", "Object", "Time (UTC)"]}>
            {data.requests.map((request) => {
              const tone = requestTone(request);
              return (
                <tr key={request.seq} className={TONE_ROW[tone]} data-tone={tone}>
                  <Cell className="tabular-nums text-slate-500">{request.seq}</Cell>
                  <Cell className={`tabular-nums ${TONE_TEXT[tone]}`}>
                    {request.status ?? "no answer"}
                    {request.attempt > 0 && <span className="ml-1.5 text-xs font-normal text-slate-500">retry {request.attempt}</span>}
                  </Cell>
                  <Cell className="tabular-nums">{formatCount(request.latencyMs)} ms</Cell>
                  <Cell>
                    <span className="block max-w-[28rem] truncate font-mono text-xs text-slate-800" title={request.path}>
                      <span className="font-semibold">{request.method}</span> {request.path}
                    </span>
                    {request.error && (
                      <span className="block max-w-[28rem] truncate text-xs text-red-700" title={request.error}>
                        {request.error}
                      </span>
                    )}
                  </Cell>
                  <Cell className="text-xs">{request.object ?? "—"}</Cell>
                  <Cell className="tabular-nums text-slate-600">{request.sentAt.slice(11, 23)}</Cell>
                </tr>
              );
            })}
          </Table>
        </div>
      )}
      {data && (afters.length > 0 || data.nextAfter !== null) && (
        <nav aria-label="Request log pages" className="mt-3 flex items-center justify-between gap-3 text-sm">
          <span className="text-slate-500">Page {afters.length + 1}</span>
          <div className="flex gap-2">
            <Button
              type="button"
              variant="secondary"
              disabled={afters.length === 0 || query.isFetching}
              onClick={() => setAfters((current) => current.slice(0, -1))}
            >
              Previous
            </Button>
            <Button
              type="button"
              variant="secondary"
              disabled={data.nextAfter === null || query.isFetching}
              onClick={() => data.nextAfter !== null && setAfters((current) => [...current, data.nextAfter!])}
            >
              Next
            </Button>
          </div>
        </nav>
      )}
    </Section>
  );
}

/** One sync run of a connection: what it was, what it did per object, its pauses, events and requests; live while active. */
export function RunView({ initial }: { initial: RunPageJson }) {
  const { data: page, error } = useRun(initial);
  const { run, connection, totals } = page;
  const now = new Date(page.now);
  const records = page.objects.reduce((sum, o) => sum + o.created + o.updated + o.deleted, 0);
  const pagesTotal = page.objects.reduce((sum, o) => sum + o.pages, 0);
  const eventsHref = `/connections/${connection.id}?run=${run.id}#event-log`;

  return (
    <>
      <div className="mb-6 min-w-0">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">{runTitle(run, connection.batchesTotal)}</h1>
          <span data-testid="run-status">
            <StatusBadge status={run.status} />
          </span>
          {page.active && (
            <span className="inline-flex items-center gap-1.5 text-xs text-slate-500" aria-hidden="true">
              <span className="size-2 animate-pulse rounded-full bg-brand-500" />
              Live
            </span>
          )}
        </div>
        <p className="mt-1 break-all text-sm text-slate-500">
          Run <code className="font-mono text-xs">{run.id}</code> of{" "}
          <Link href={`/connections/${connection.id}`} className="text-brand-700 hover:underline">
            {connection.label}
          </Link>
        </p>
      </div>
      {error && (
        <div className="mb-6">
          <Notice tone="error">Live updates paused: {error.message} The figures below may be out of date.</Notice>
        </div>
      )}
      {run.status === "queued" && <Notice tone="success">Queued: a worker starts the run at {seconds(run.scheduledAt)} or as soon as one is free.</Notice>}
      {run.status === "rate_limited" && run.resumeAt && (
        <Notice tone="warning">Rate limited by the platform: the run resumes at {seconds(run.resumeAt)}, from where it stopped.</Notice>
      )}
      {run.error && (
        <div role="status" className="mb-6 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          <p className="font-semibold">
            Failed: <code className="font-mono text-xs">{run.error.kind}</code>
          </p>
          <p className="mt-0.5 break-words">{run.error.message}</p>
        </div>
      )}
      <dl className="my-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat label="Records changed" value={formatCount(records)} hint={`in ${plural(pagesTotal, "page")}`} />
        <Stat
          label="Requests"
          value={formatCount(totals.requests)}
          hint={`${formatCount(totals.rateLimited)} × 429 · ${plural(totals.retries, "retry", "retries")}`}
        />
        <Stat label="Pauses" value={formatCount(page.pauses.length)} hint="rate-limit waits" />
        <Stat
          label="Duration"
          value={formatDuration(toDate(run.startedAt), toDate(run.finishedAt) ?? now)}
          hint={run.finishedAt ? `finished ${seconds(run.finishedAt)}` : run.startedAt ? "so far" : "not started"}
        />
      </dl>
      <Card title="Details" className="mb-6">
        <DescriptionList
          columns={3}
          items={[
            ["Kind", humanize(run.kind)],
            ["Batch", run.batchPosition === null ? "—" : `${run.batchPosition} of ${Math.max(connection.batchesTotal, run.batchPosition)}`],
            [
              "Window",
              run.windowStart || run.windowEnd ? (
                <span key="window" className="tabular-nums">
                  {seconds(run.windowStart)} → {seconds(run.windowEnd)}
                </span>
              ) : run.updatedSince ? (
                <span key="since" className="tabular-nums">
                  changes since {seconds(run.updatedSince)}
                </span>
              ) : (
                "Everything"
              ),
            ],
            [
              "Started",
              <span key="started" className="tabular-nums">
                {seconds(run.startedAt)}
              </span>,
            ],
            [
              "Finished",
              <span key="finished" className="tabular-nums">
                {run.finishedAt ? seconds(run.finishedAt) : page.active ? "still running" : "—"}
              </span>,
            ],
            ["Attempt", String(run.attempt)],
          ]}
        />
      </Card>
      <Section title="Objects" description="Per object, in the order the run fetches them." className="mb-6">
        <Table head={["Object", "Status", "Pages", "Requests", "Created", "Updated", "Deleted", "429s", "Retries", "Error"]}>
          {page.objects.map((object) => (
            <tr key={object.object} aria-label={object.object}>
              <Cell className="font-medium text-slate-900">{object.object}</Cell>
              <Cell>
                <StatusBadge status={object.status} />
              </Cell>
              <Cell className="tabular-nums">{formatCount(object.pages)}</Cell>
              <Cell className="tabular-nums">{formatCount(object.requests)}</Cell>
              <Cell className="tabular-nums">{formatCount(object.created)}</Cell>
              <Cell className="tabular-nums">{formatCount(object.updated)}</Cell>
              <Cell className="tabular-nums">{formatCount(object.deleted)}</Cell>
              <Cell className={`tabular-nums ${object.rate_limited ? "text-amber-800" : ""}`}>{formatCount(object.rate_limited)}</Cell>
              <Cell className="tabular-nums">{formatCount(object.retries)}</Cell>
              <Cell className={object.error ? "max-w-72 whitespace-normal text-xs text-red-700" : ""}>
                {object.error ? `${object.error.kind}: ${object.error.message}` : "—"}
              </Cell>
            </tr>
          ))}
        </Table>
      </Section>
      <Section title="Rate-limit pauses" description="When the platform asked the run to wait longer than it waits inline." className="mb-6">
        {page.pauses.length === 0 ? (
          <SectionEmpty>No pause: the platform never asked this run to wait long.</SectionEmpty>
        ) : (
          <Table head={["Object", "Paused at", "Resumed at", "Allowance", "Why"]}>
            {page.pauses.map((pause) => (
              <tr key={pause.at}>
                <Cell>{pause.object}</Cell>
                <Cell className="tabular-nums">{seconds(pause.at)}</Cell>
                <Cell className="tabular-nums">{seconds(pause.resume_at)}</Cell>
                <Cell>{pause.limit ?? "rate"}</Cell>
                <Cell className="whitespace-normal text-xs">{pause.message ?? "—"}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Section>
      <Section
        title="Events"
        description={
          page.events.total > page.events.latest.length
            ? `The latest ${page.events.latest.length} of ${formatCount(page.events.total)} events this run emitted.`
            : "The events this run emitted, newest first."
        }
        actions={
          <Link href={eventsHref} className="text-sm font-medium text-brand-700 hover:underline">
            Open in the event log →
          </Link>
        }
        className="mb-6"
      >
        {page.events.latest.length === 0 ? (
          <SectionEmpty>{page.active ? "No event yet." : "This run emitted no event."}</SectionEmpty>
        ) : (
          <Table head={["Type", "Object", "Time (UTC)"]}>
            {page.events.latest.map((event) => (
              <tr key={event.id}>
                <Cell className="font-mono text-xs text-slate-900">{event.type}</Cell>
                <Cell>{event.object ?? "—"}</Cell>
                <Cell className="tabular-nums text-slate-600">{seconds(event.createdAt)}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Section>
      <RequestLog page={page} />
    </>
  );
}
