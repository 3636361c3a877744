"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { getDashboardJson } from "@/lib/dashboard/fetch-json";
import { StatusBadge } from "@/components/ui/status-badge";
import { formatCount, formatRelative, humanize } from "@/lib/format";
import type { RunningJson } from "@/lib/presenters/overview";

interface RunningPayload {
  total: number;
  shown: RunningJson[];
}

/** The syncs running now, refreshed every few seconds while any runs; starts from the server's read. */
export function RunningSyncs({ initial }: { initial: RunningPayload }) {
  const query = useQuery({
    queryKey: ["overview-running"],
    queryFn: async ({ signal }): Promise<RunningPayload> => {
      return getDashboardJson<RunningPayload>("/api/dashboard/overview/running", signal);
    },
    initialData: initial,
    refetchInterval: (q) => (q.state.data && q.state.data.total > 0 ? 3000 : 15000),
  });
  const data = query.data;
  return (
    <div>
      {query.isError && (
        <p role="alert" className="mb-2 text-sm text-red-700">
          Live updates paused: {query.error.message}
        </p>
      )}
      {data.total === 0 ? (
        <p className="text-sm text-slate-500">No sync is running right now. Scheduled syncs appear here while they run.</p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-live="polite">
          {data.shown.map((run) => {
            const fraction = run.batch
              ? (run.batch.position - 1 + (run.objectsTotal ? run.objectsDone / run.objectsTotal : 0)) / run.batch.total
              : run.objectsTotal
                ? run.objectsDone / run.objectsTotal
                : 0;
            const percent = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
            return (
              <li key={run.id} className="py-2.5">
                <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
                  <Link href={`/connections/${run.connectionId}`} className="font-medium text-brand-700 hover:underline">
                    {run.accountName ?? run.connectionId} <span className="font-normal text-slate-500">· {run.platform}</span>
                  </Link>
                  <span className="flex items-center gap-2 text-xs text-slate-500">
                    {humanize(run.kind)}
                    {run.batch && ` ${run.batch.position} of ${run.batch.total}`}
                    <StatusBadge status={run.status} />
                  </span>
                </div>
                <div
                  role="progressbar"
                  aria-label={`Progress of ${run.accountName ?? run.connectionId}`}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={percent}
                  className="mt-1.5 h-1.5 rounded-full bg-slate-100"
                >
                  <div className={`h-1.5 rounded-full ${run.status === "rate_limited" ? "bg-amber-400" : "bg-brand-500"}`} style={{ width: `${percent}%` }} />
                </div>
                <p className="mt-1 text-xs text-slate-500" suppressHydrationWarning>
                  {run.objectsDone} of {run.objectsTotal} objects · {formatCount(run.recordsSeen)} records read
                  {run.startedAt && ` · started ${formatRelative(new Date(run.startedAt))}`}
                  {run.status === "rate_limited" && run.resumeAt && ` · rate-limited, resumes ${formatRelative(new Date(run.resumeAt))}`}
                </p>
              </li>
            );
          })}
        </ul>
      )}
      {data.total > data.shown.length && <p className="mt-2 text-xs text-slate-500">and {formatCount(data.total - data.shown.length)} more running</p>}
    </div>
  );
}
