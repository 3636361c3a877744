"use client";

import type { ReactNode } from "react";
import type { ActiveRunJson, ConnectionStatusJson } from "@/lib/presenters/connections-detail";
import { formatCount, formatDateTime, humanize, plural } from "@/lib/format";
import { Card } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { DescriptionList } from "@/components/ui/description-list";
import { HealthBadge, StageBadge, StatusBadge, YesNoBadge } from "@/components/ui/status-badge";
import { CopyButton } from "@/components/ui/copy";

export const toDate = (value: string | null | undefined) => (value ? new Date(value) : null);

/** Rutter's connection status, live: stage, health, readiness, what needs doing, progress, schedule, and the runs in progress. */
export function StatusCard({ status, syncing, updatedAt, stale }: { status: ConnectionStatusJson; syncing: boolean; updatedAt: number; stale: boolean }) {
  const { connection } = status;
  const now = new Date(status.now);
  const progress = connection.batchesTotal ? Math.min(100, Math.round((connection.batchesCompleted / connection.batchesTotal) * 100)) : 0;
  const items: [string, ReactNode][] = [
    ["Stage", <StageBadge key="stage" stage={connection.stage} />],
    [
      "Health",
      <span key="health" className="block">
        <HealthBadge health={connection.health} />
        {/* Needs update and disabled say theirs in their banner. */}
        {connection.healthDetail && connection.health === "UNHEALTHY" && <span className="mt-1 block text-xs text-slate-500">{connection.healthDetail}</span>}
      </span>,
    ],
    [
      "Ready",
      <span key="ready" className="block">
        <YesNoBadge value={connection.isReady} />
        <span className="mt-1 block text-xs text-slate-500">
          {connection.isReady ? "Data reads are served" : "Reads answer 409 until the first batch is done"}
        </span>
      </span>,
    ],
    [
      "Historical sync",
      connection.batchesTotal ? (
        <div key="batches">
          <span className="tabular-nums">
            {connection.batchesCompleted} of {plural(connection.batchesTotal, "batch", "batches")}
          </span>
          <ProgressBar label="Batches completed" percent={progress} />
        </div>
      ) : (
        <span key="batches" className="text-slate-500">
          Not planned yet
        </span>
      ),
    ],
    ["Last sync completed", <DateTime key="last" value={toDate(connection.lastSyncCompletedAt)} now={now} />],
    ["Next sync", <NextSync key="next" status={status} now={now} />],
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
      "End user",
      connection.endUserId ? (
        <code key="user" className="font-mono text-xs">
          {connection.endUserId}
        </code>
      ) : (
        <span key="user" className="text-slate-500">
          Not set
        </span>
      ),
    ],
    ["Connected", <DateTime key="created" value={toDate(connection.createdAt)} now={now} />],
  ];
  if (connection.consecutiveFailures > 0) items.push(["Consecutive failed runs", formatCount(connection.consecutiveFailures)]);

  return (
    <div role="region" aria-label="Connection status">
      <Card title="Status" actions={<LiveIndicator syncing={syncing} updatedAt={updatedAt} stale={stale} />}>
        <div className="space-y-4">
          {status.needsUpdate && (
            <Banner tone="red" title="Needs update: the end user must re-link this account">
              <p>
                {sentence(status.needsUpdate.detail ?? "Tributary can no longer read this account with the credentials it has")} Send the end user this re-link
                URL; it opens Link for this connection only.
              </p>
              <div className="mt-2 flex items-center gap-2">
                <code className="min-w-0 flex-1 truncate rounded bg-surface/70 px-2 py-1 font-mono text-xs">{status.needsUpdate.linkUrl}</code>
                <CopyButton value={status.needsUpdate.linkUrl} label="re-link URL" />
              </div>
            </Banner>
          )}
          {connection.health === "DISABLED" && (
            <Banner tone="gray" title={`Disabled: ${connection.disabledReason ? humanize(connection.disabledReason).toLowerCase() : "no reason recorded"}`}>
              <p>
                {connection.healthDetail ? `${sentence(connection.healthDetail)} ` : ""}It does not sync until it is re-enabled (or re-linked, when its
                credentials were revoked).
              </p>
            </Banner>
          )}
          {connection.incrementalPausedAt && (
            <Banner tone="amber" title="Incremental syncs are paused while a backfill runs">
              <p>
                Paused since <DateTime value={toDate(connection.incrementalPausedAt)} now={now} />. Scheduled syncs resume when the backfill ends; the first one
                after it picks up every change made meanwhile.
              </p>
            </Banner>
          )}
          <DescriptionList items={items} />
          <ActiveRuns runs={status.activeRuns} more={status.moreActiveRuns} batchesTotal={connection.batchesTotal} now={now} />
        </div>
      </Card>
    </div>
  );
}

/** A detail as a sentence: it ends with a full stop (details are written with or without one). */
function sentence(text: string): string {
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}

function NextSync({ status, now }: { status: ConnectionStatusJson; now: Date }) {
  const { connection } = status;
  if (connection.deletedAt) return <span className="text-slate-500">Never (deleted)</span>;
  if (connection.health === "DISABLED") return <span className="text-slate-500">None while disabled</span>;
  if (connection.health === "NEEDS_UPDATE") return <span className="text-slate-500">None until re-linked</span>;
  if (connection.incrementalPausedAt) return <span>Paused for a backfill</span>;
  if (status.activeRuns.some((run) => run.status === "running")) return <span>Running now</span>;
  if (!connection.nextSyncAt) return <span>{status.activeRuns.length ? "Queued" : "As soon as a worker is free"}</span>;
  return <DateTime value={toDate(connection.nextSyncAt)} now={now} />;
}

function LiveIndicator({ syncing, updatedAt, stale }: { syncing: boolean; updatedAt: number; stale: boolean }) {
  const time = updatedAt ? formatDateTime(new Date(updatedAt)).replace(/^\S+ /, "") : "";
  if (stale) return <span className="text-xs font-medium text-red-700">Updates paused: the server did not answer</span>;
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-slate-500" title={`Last updated ${time}`}>
      {syncing ? (
        <>
          <span className="relative flex h-2 w-2" aria-hidden="true">
            <span className="absolute inline-flex h-full w-full animate-ping rounded-full bg-emerald-400 opacity-75" />
            <span className="relative inline-flex h-2 w-2 rounded-full bg-emerald-500" />
          </span>
          Live · updates every 2 s
        </>
      ) : (
        <>Updated {time}</>
      )}
    </span>
  );
}

function Banner({ tone, title, children }: { tone: "red" | "amber" | "gray"; title: string; children: ReactNode }) {
  const tones = {
    red: "border-red-200 bg-red-50 text-red-900",
    amber: "border-amber-200 bg-amber-50 text-amber-900",
    gray: "border-slate-200 bg-slate-50 text-slate-800",
  };
  return (
    <div role="status" className={`rounded-md border px-4 py-3 text-sm ${tones[tone]}`}>
      <p className="font-semibold">{title}</p>
      <div className="mt-1">{children}</div>
    </div>
  );
}

export function ProgressBar({ label, percent, tone = "brand" }: { label: string; percent: number; tone?: "brand" | "amber" }) {
  return (
    <div
      className="mt-1.5 h-1.5 w-40 max-w-full rounded-full bg-slate-100"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
    >
      <div className={`h-1.5 rounded-full ${tone === "amber" ? "bg-amber-500" : "bg-brand-500"} transition-[width]`} style={{ width: `${percent}%` }} />
    </div>
  );
}

const DONE = new Set(["succeeded", "failed", "skipped"]);

export function runTitle(run: { kind: string; batchPosition: number | null }, batchesTotal: number): string {
  if (run.batchPosition !== null && (run.kind === "initial_batch" || run.kind === "historical_batch")) {
    return `${humanize(run.kind)} ${run.batchPosition} of ${Math.max(batchesTotal, run.batchPosition)}`;
  }
  return humanize(run.kind);
}

function ActiveRuns({ runs, more, batchesTotal, now }: { runs: ActiveRunJson[]; more: number; batchesTotal: number; now: Date }) {
  if (runs.length === 0) return null;
  return (
    <section aria-label="Runs in progress" className="border-t border-slate-100 pt-4">
      <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">In progress</h3>
      <ul className="mt-2 space-y-3">
        {runs.map((run) => {
          const done = run.progress.filter((object) => DONE.has(object.status)).length;
          const records = run.progress.reduce((sum, object) => sum + object.records, 0);
          return (
            <li key={run.id} className="rounded-md border border-slate-200 px-4 py-3" aria-label={`${runTitle(run, batchesTotal)}: ${run.status}`}>
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                <StatusBadge status={run.status} />
                <span className="text-sm font-medium text-slate-900">{runTitle(run, batchesTotal)}</span>
                <span className="text-xs text-slate-500">
                  {run.status === "queued" ? (
                    <>
                      queued <DateTime value={toDate(run.scheduledAt)} now={now} />
                    </>
                  ) : run.status === "rate_limited" && run.pause?.limit === "daily" ? (
                    // The message names the allowance and when the window frees, in UTC (lib/sync/quota.ts).
                    <span className="font-medium text-amber-700">Paused: {run.pause.message}</span>
                  ) : run.status === "rate_limited" ? (
                    <>
                      paused by the platform&apos;s rate limit until <DateTime value={toDate(run.resumeAt)} now={now} />
                    </>
                  ) : (
                    <>
                      started <DateTime value={toDate(run.startedAt)} now={now} />
                    </>
                  )}
                </span>
                {(run.windowStart || run.windowEnd) && (
                  <span className="text-xs text-slate-500">
                    window {run.windowStart ? formatDateTime(toDate(run.windowStart)) : "the beginning"} →{" "}
                    {run.windowEnd ? formatDateTime(toDate(run.windowEnd)) : "now"}
                  </span>
                )}
              </div>
              {run.status !== "queued" && (
                <div className="mt-2 flex items-center gap-3 text-xs text-slate-600">
                  <ProgressBar
                    label={`Objects done in ${runTitle(run, batchesTotal)}`}
                    percent={run.progress.length ? Math.round((done / run.progress.length) * 100) : 0}
                    tone={run.status === "rate_limited" ? "amber" : "brand"}
                  />
                  <span className="mt-1.5 tabular-nums">
                    {done} of {plural(run.progress.length, "object")} · {plural(records, "record")} fetched
                  </span>
                </div>
              )}
              <ul className="mt-2 flex flex-wrap gap-1.5" aria-label="Objects">
                {run.progress.map((object) => (
                  <li key={object.object} title={object.error ?? undefined}>
                    <Badge tone={object.status === "succeeded" ? "green" : object.status === "failed" ? "red" : object.status === "running" ? "blue" : "gray"}>
                      {object.object}
                      {object.status === "running" || object.status === "succeeded"
                        ? ` · ${formatCount(object.records)}`
                        : object.status === "pending"
                          ? ""
                          : ` · ${object.status}`}
                    </Badge>
                  </li>
                ))}
              </ul>
            </li>
          );
        })}
      </ul>
      {more > 0 && <p className="mt-2 text-xs text-slate-500">and {plural(more, "more run")} queued behind these</p>}
    </section>
  );
}
