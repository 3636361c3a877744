// How an endpoint's state reads on the list and on its page (server components).
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { plural } from "@/lib/format";
import type { EndpointBacklog } from "@/lib/presenters/webhook-delivery";
import type { DeliveryStats } from "@/lib/presenters/webhooks";

/**
 * An endpoint's state as its deliveries live it: disabled (and why, and what waits), enabled but with
 * deliveries still in backoff, failing, or enabled and healthy. A success elsewhere ends the failing
 * streak, so deliveries still retrying are counted on their own rather than read from it.
 */
export function EndpointStatus({
  endpoint,
  backlog,
  now,
}: {
  endpoint: { enabled: boolean; failingSince: Date | null; disabledReason: string | null; disabledAt: Date | null };
  backlog: EndpointBacklog;
  now: Date;
}) {
  if (!endpoint.enabled) {
    return (
      <div>
        <Badge tone="red">Disabled</Badge>
        <div className="mt-1 max-w-xs whitespace-normal text-xs text-slate-600">
          {endpoint.disabledReason ?? "No reason recorded"}
          {endpoint.disabledAt && (
            <span className="block text-slate-500">
              since <DateTime value={endpoint.disabledAt} now={now} />
            </span>
          )}
          {backlog.pending > 0 && <span className="block text-slate-500">{plural(backlog.pending, "delivery", "deliveries")} waiting</span>}
        </div>
      </div>
    );
  }
  if (backlog.retrying > 0) {
    return (
      <div>
        <Badge tone="yellow">Retrying</Badge>
        <div className="mt-1 max-w-xs whitespace-normal text-xs text-slate-600">
          {plural(backlog.retrying, "delivery", "deliveries")} retrying
          <span className="block text-slate-500">
            {endpoint.failingSince ? (
              <>
                every attempt failing since <DateTime value={endpoint.failingSince} now={now} />
              </>
            ) : (
              backlog.oldestRetryingAt && (
                <>
                  the oldest from <DateTime value={backlog.oldestRetryingAt} now={now} />
                </>
              )
            )}
          </span>
        </div>
      </div>
    );
  }
  if (endpoint.failingSince) {
    return (
      <div>
        <Badge tone="yellow">Failing</Badge>
        <div className="mt-1 text-xs text-slate-600">
          since <DateTime value={endpoint.failingSince} now={now} />
        </div>
      </div>
    );
  }
  return <Badge tone="green">Enabled</Badge>;
}

export function EventTypes({ types, limit }: { types: string[]; limit?: number }) {
  if (types.length === 0) return <span className="text-slate-700">All events</span>;
  const shown = limit ? types.slice(0, limit) : types;
  return (
    <ul className="flex max-w-md flex-wrap gap-1" aria-label="Event types">
      {shown.map((type) => (
        <li key={type} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
          {type}
        </li>
      ))}
      {shown.length < types.length && <li className="px-1 py-0.5 text-xs text-slate-500">+{types.length - shown.length} more</li>}
    </ul>
  );
}

export function FailureRate({ stats }: { stats: DeliveryStats }) {
  if (stats.failureRate === null) return <span className="text-slate-500">{stats.total ? "No attempt yet" : "No deliveries"}</span>;
  const percent = stats.failureRate * 100;
  const tone = percent === 0 ? "text-emerald-700" : percent < 10 ? "text-amber-800" : "text-red-700";
  return (
    <span className={`font-medium tabular-nums ${tone}`} title={`${stats.failed} failed, ${stats.retrying} retrying, ${stats.succeeded} succeeded`}>
      {percent < 10 && percent > 0 ? percent.toFixed(1) : Math.round(percent)}%
      <span className="ml-1 font-normal text-slate-500">of {stats.succeeded + stats.failed + stats.retrying}</span>
    </span>
  );
}

/** "immediately, 5 s, 5 min, 30 min, 2 h" */
export function scheduleText(schedule: readonly number[]): string {
  return schedule
    .map((seconds) =>
      seconds === 0
        ? "immediately"
        : seconds < 60
          ? `${seconds} s`
          : seconds < 3600
            ? `${Math.round(seconds / 60)} min`
            : `${Math.round((seconds / 3600) * 10) / 10} h`,
    )
    .join(", ");
}
