// The statistics of one bar (a run, or one object of a run) or of one density bucket, shown on hover
// and on keyboard focus.
import type { DensityBucket, TimelineSegment } from "@/lib/presenters/timeline";
import { formatCount, plural } from "@/lib/format";
import { OUTCOME_STYLE } from "./outcome";
import { formatInstant, formatSpan } from "./scale";

function Row({ label, value, warn = false }: { label: string; value: string; warn?: boolean }) {
  return (
    <div className="flex items-baseline justify-between gap-6">
      <dt className="text-slate-400">{label}</dt>
      <dd className={`tabular-nums ${warn ? "font-medium text-amber-300" : "text-white"}`}>{value}</dd>
    </div>
  );
}

export function SegmentTooltip({ segment }: { segment: TimelineSegment }) {
  const style = OUTCOME_STYLE[segment.outcome];
  const paused = segment.pauses.reduce((total, pause) => total + (new Date(pause.end).getTime() - new Date(pause.start).getTime()), 0);
  return (
    <>
      <div className="flex items-center justify-between gap-4">
        <p className="font-semibold text-white">
          {segment.runLabel}
          {segment.object && <span className="font-normal text-slate-300"> · {segment.object}</span>}
        </p>
        <span className="inline-flex items-center gap-1.5 text-slate-200">
          <span aria-hidden className={`size-2 rounded-full ${style.dot}`} />
          {style.label}
        </span>
      </div>
      <p className="mt-0.5 text-slate-400">
        {formatInstant(new Date(segment.start).getTime())}
        {segment.open ? " · still going" : ""}
      </p>
      <dl className="mt-2.5 space-y-1 border-t border-white/10 pt-2.5">
        <Row label="Duration" value={`${formatSpan(segment.durationMs)}${segment.open ? " so far" : ""}`} />
        {paused > 0 && <Row label="Paused by rate limits" value={formatSpan(paused)} warn />}
        <Row label="Records created" value={formatCount(segment.stats.created)} />
        <Row label="Records updated" value={formatCount(segment.stats.updated)} />
        <Row label="Records deleted" value={formatCount(segment.stats.deleted)} />
        <Row label="Requests · pages" value={`${formatCount(segment.stats.requests)} · ${formatCount(segment.stats.pages)}`} />
        <Row label="429 responses" value={formatCount(segment.stats.rateLimited)} warn={segment.stats.rateLimited > 0} />
        <Row label="Retries" value={formatCount(segment.stats.retries)} warn={segment.stats.retries > 0} />
      </dl>
      {segment.resumeAt && <p className="mt-2 text-amber-300">Resumes at {formatInstant(new Date(segment.resumeAt).getTime())}</p>}
      {segment.error && <p className="mt-2 max-w-72 break-words rounded bg-rose-500/15 px-2 py-1.5 text-rose-200">{segment.error}</p>}
    </>
  );
}

export function BucketTooltip({ bucket, label }: { bucket: DensityBucket; label: string }) {
  const start = new Date(bucket.start).getTime();
  const end = new Date(bucket.end).getTime();
  return (
    <>
      <p className="font-semibold text-white">{plural(bucket.runs, `${label.toLowerCase()} run`)}</p>
      <p className="mt-0.5 text-slate-400">
        {formatInstant(start)} · {formatSpan(end - start)}
      </p>
      <dl className="mt-2.5 space-y-1 border-t border-white/10 pt-2.5">
        <Row label="Succeeded" value={formatCount(bucket.succeeded)} />
        {bucket.failed > 0 && <Row label="Failed" value={formatCount(bucket.failed)} warn />}
        {bucket.cancelled > 0 && <Row label="Cancelled" value={formatCount(bucket.cancelled)} />}
        {bucket.active > 0 && <Row label="In progress" value={formatCount(bucket.active)} />}
        <Row label="Average duration" value={formatSpan(bucket.avgDurationMs)} />
        <Row label="Requests" value={formatCount(bucket.requests)} />
        <Row label="429 responses" value={formatCount(bucket.rateLimited)} warn={bucket.rateLimited > 0} />
        <Row label="Retries" value={formatCount(bucket.retries)} warn={bucket.retries > 0} />
      </dl>
      <p className="mt-2 text-slate-400">Zoom in to see each run.</p>
    </>
  );
}

export function segmentLabel(segment: TimelineSegment): string {
  const what = segment.object ? `${segment.runLabel}, ${segment.object}` : segment.runLabel;
  const stats = segment.stats;
  return `${what}: ${OUTCOME_STYLE[segment.outcome].label.toLowerCase()}, started ${formatInstant(new Date(segment.start).getTime())}, ${formatSpan(segment.durationMs)}${segment.open ? " so far" : ""}; ${formatCount(stats.created)} created, ${formatCount(stats.updated)} updated, ${formatCount(stats.deleted)} deleted; ${formatCount(stats.requests)} requests, ${formatCount(stats.rateLimited)} 429s, ${formatCount(stats.retries)} retries${segment.error ? `; error: ${segment.error}` : ""}`;
}

export function bucketLabel(bucket: DensityBucket, label: string): string {
  return `${plural(bucket.runs, `${label.toLowerCase()} run`)} from ${formatInstant(new Date(bucket.start).getTime())}: ${formatCount(bucket.succeeded)} succeeded, ${formatCount(bucket.failed)} failed, average ${formatSpan(bucket.avgDurationMs)}`;
}
