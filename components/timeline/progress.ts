// A long run's progress as people read it: "1,200 of ~5,000 records (24%) · about 3 min left", from
// the records seen so far, the platform's count when it gave one (Connector.count, stored in the run's
// statistics as each object's `total`) and the rate observed since the run started. Without a total,
// or once the count is passed (counts are approximate, and exports also list deletions), only the
// count and the rate: never "N of M" with N above M.
import { formatCount, formatShare } from "@/lib/format";

export interface RunProgress {
  seen: number;
  /** Null when unknown or passed. */
  total: number | null;
  /** seen / total, below 1 while the run goes on. */
  share: number | null;
  /** Records a second since the run started; null before there is anything to measure. */
  perSecond: number | null;
  /** Time left at the observed rate; null without a total or a rate. */
  remainingMs: number | null;
}

/** Below this much elapsed time or this many records the rate says nothing yet. */
const MIN_ELAPSED_MS = 2_000;
const MIN_SEEN = 1;

export function runProgress({ seen, total, elapsedMs }: { seen: number; total: number | null; elapsedMs: number }): RunProgress {
  const perSecond = elapsedMs >= MIN_ELAPSED_MS && seen >= MIN_SEEN ? (seen / elapsedMs) * 1000 : null;
  const known = total !== null && total > 0 && seen <= total ? total : null;
  const share = known === null ? null : seen / known;
  const remainingMs = known === null || perSecond === null ? null : ((known - seen) / perSecond) * 1000;
  return { seen, total: known, share, perSecond, remainingMs };
}

/** "about 3 min left", "about 40 s left", "less than 10 s left". */
export function formatRemaining(ms: number): string {
  if (ms < 10_000) return "less than 10 s left";
  if (ms < 60_000) return `about ${Math.round(ms / 10_000) * 10} s left`;
  if (ms < 3_600_000) return `about ${Math.round(ms / 60_000)} min left`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.round((ms % 3_600_000) / 60_000);
  return `about ${hours} h${minutes ? ` ${minutes} min` : ""} left`;
}

export function formatRate(perSecond: number): string {
  return perSecond >= 10 ? `${formatCount(Math.round(perSecond))} records/s` : `${perSecond.toFixed(1)} records/s`;
}

/** The line the timeline shows under a running batch: count, total and share, time left or rate. */
export function describeProgress(progress: RunProgress): string {
  const parts: string[] = [];
  if (progress.total !== null && progress.share !== null) {
    parts.push(`${formatCount(progress.seen)} of ~${formatCount(progress.total)} records (${formatShare(progress.share)})`);
    if (progress.remainingMs !== null) parts.push(formatRemaining(progress.remainingMs));
  } else {
    parts.push(`${formatCount(progress.seen)} records`);
    if (progress.perSecond !== null) parts.push(formatRate(progress.perSecond));
  }
  return parts.join(" · ");
}
