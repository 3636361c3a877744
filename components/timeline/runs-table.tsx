// The timeline as a table, for screen readers (visually hidden): every run drawn in the window with
// its outcome and statistics, and the density strip's totals.
import Link from "next/link";
import type { SyncTimeline } from "@/lib/presenters/timeline";
import { formatCount } from "@/lib/format";
import { OUTCOME_STYLE } from "./outcome";
import { formatInstant, formatSpan } from "./scale";

export function RunsTable({ timeline, caption }: { timeline: SyncTimeline; caption: string }) {
  const runs = timeline.lanes[0]?.segments ?? [];
  const density = timeline.density;
  return (
    // The wrapper hides it: a table grows to fit its cells whatever width it is given.
    <div className="sr-only">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {[
              "Run",
              "Outcome",
              "Started",
              "Duration",
              "Objects",
              "Created",
              "Updated",
              "Deleted",
              "Requests",
              "429 responses",
              "Retries",
              "Rate-limit pauses",
              "Error",
            ].map((head) => (
              <th key={head} scope="col">
                {head}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const objects = timeline.lanes
              .slice(1)
              .flatMap((lane) => lane.segments.filter((segment) => segment.runId === run.runId))
              .map((segment) => `${segment.object} (${OUTCOME_STYLE[segment.outcome].label.toLowerCase()})`);
            return (
              <tr key={run.id}>
                <th scope="row">
                  <Link href={`/connections/${timeline.connection.id}/runs/${run.runId}`}>{run.runLabel}</Link>
                </th>
                <td>{OUTCOME_STYLE[run.outcome].label}</td>
                <td>{formatInstant(new Date(run.start).getTime())}</td>
                <td>
                  {formatSpan(run.durationMs)}
                  {run.open ? " so far" : ""}
                </td>
                <td>{objects.join(", ") || "none started"}</td>
                <td>{formatCount(run.stats.created)}</td>
                <td>{formatCount(run.stats.updated)}</td>
                <td>{formatCount(run.stats.deleted)}</td>
                <td>{formatCount(run.stats.requests)}</td>
                <td>{formatCount(run.stats.rateLimited)}</td>
                <td>{formatCount(run.stats.retries)}</td>
                <td>
                  {run.pauses.length
                    ? run.pauses
                        .map(
                          (pause) =>
                            `${formatInstant(new Date(pause.start).getTime())} to ${formatInstant(new Date(pause.end).getTime())} during ${pause.object}`,
                        )
                        .join("; ")
                    : "none"}
                </td>
                <td>{run.error ?? "none"}</td>
              </tr>
            );
          })}
          {density && (
            <tr>
              <th scope="row">{density.label} runs (summarized)</th>
              <td colSpan={12}>
                {formatCount(density.runs)} runs: {formatCount(density.buckets.reduce((sum, bucket) => sum + bucket.succeeded, 0))} succeeded,{" "}
                {formatCount(density.buckets.reduce((sum, bucket) => sum + bucket.failed, 0))} failed. Zoom in to a shorter window to list each run.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
