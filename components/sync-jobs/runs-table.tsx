import Link from "next/link";
import { formatCount, formatDuration } from "@/lib/format";
import type { RunRow } from "@/lib/presenters/sync-jobs";
import { DateTime } from "@/components/ui/date-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { Cell, Table } from "@/components/ui/table";

/**
 * What started a run. A deleted trigger leaves cron_trigger_id null, so the expression stored on the
 * run at its start is what tells a scheduled run from one started on demand.
 */
export function startedBy(run: { cronTriggerId: string | null; cronExpression: string | null }): string {
  if (!run.cronExpression && !run.cronTriggerId) return "on demand";
  const schedule = run.cronExpression ? ` (${run.cronExpression})` : "";
  return run.cronTriggerId ? `by a cron trigger${schedule}` : `by a cron trigger${schedule}, since deleted`;
}

/** Runs, newest first, each linked to its page; under its id, its job (across jobs) or what started it (one job's). */
export function RunsTable({ runs, now, showJob }: { runs: RunRow[]; now: Date; showJob: boolean }) {
  return (
    <Table head={["Run", "Status", "Connection", "Started", "Duration", "Records"]}>
      {runs.map((run) => (
        <tr key={run.id}>
          <Cell>
            <Link href={`/sync-jobs/runs/${run.id}`} className="font-mono text-xs text-brand-700 hover:underline">
              {run.id}
            </Link>
            <div className="text-xs text-slate-500">
              {showJob && run.syncJob ? (
                <Link href={`/sync-jobs/${run.syncJob.id}`} className="font-medium text-slate-700 hover:underline">
                  {run.syncJob.name}
                </Link>
              ) : (
                startedBy(run).replace(/^./, (c) => c.toUpperCase())
              )}
            </div>
          </Cell>
          <Cell>
            <StatusBadge status={run.status} />
          </Cell>
          <Cell>
            <Link href={`/connections/${run.connection.id}`} className="text-brand-700 hover:underline">
              {run.connection.label}
            </Link>
          </Cell>
          <Cell>
            <DateTime value={run.startedAt ?? run.createdAt} now={now} />
          </Cell>
          <Cell className="tabular-nums">{run.startedAt ? formatDuration(run.startedAt, run.finishedAt ?? now) : "—"}</Cell>
          <Cell className="tabular-nums">{formatCount(run.records)}</Cell>
        </tr>
      ))}
    </Table>
  );
}
