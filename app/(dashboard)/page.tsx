import Link from "next/link";
import { requireContext } from "@/lib/auth/context";
import { getOverview, type RunWindow } from "@/lib/presenters/overview";
import { formatCount } from "@/lib/format";
import { PageHeader } from "@/components/ui/page-header";
import { Card, Stat } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { buttonClasses } from "@/components/ui/button";
import { Breakdown } from "@/components/overview/breakdown";
import { RunningSyncs } from "@/components/overview/running-syncs";
import { MetricCharts } from "@/components/charts/metric-charts";

const percent = (rate: number | null, digits = 0) => (rate === null ? "—" : `${(rate * 100).toFixed(digits)}%`);

/** "850 ms", "12 s", "4.2 min" */
function duration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** Percentiles come from 25%-wide duration buckets (lib/sync/run-durations.ts): "≈ 850 ms". */
const approximately = (ms: number | null) => (ms === null ? "—" : `≈ ${duration(ms)}`);

export default async function OverviewPage() {
  const context = await requireContext();
  const now = new Date();
  const overview = await getOverview(context.db, { organizationId: context.organization.id, environment: context.environment }, now);
  const { runs24h, runs7d, deliveries24h } = overview;
  return (
    <>
      <PageHeader title="Overview" description={`How ${context.organization.name}'s ${context.environment} connections, syncs and webhooks are doing.`} />
      <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <Stat
          label="Connections"
          value={formatCount(overview.connections)}
          hint={`${formatCount(overview.byHealth.HEALTHY)} healthy · ${formatCount(overview.byStage.ONGOING)} ongoing`}
        />
        <Stat
          label="Sync success (24 h)"
          value={percent(runs24h.successRate, 1)}
          hint={`${formatCount(runs24h.succeeded + runs24h.failed)} finished · ${formatCount(runs24h.failed)} failed · ${formatCount(runs24h.active)} active`}
        />
        <Stat
          label="Sync duration p50 · p95 (24 h)"
          value={`${approximately(runs24h.p50Ms)} · ${approximately(runs24h.p95Ms)}`}
          hint="From start to finish of finished runs, within ±25%"
        />
        <Stat
          label="Webhook deliveries (24 h)"
          value={formatCount(deliveries24h.total)}
          hint={`${percent(deliveries24h.failureRate, 1)} failing · ${formatCount(deliveries24h.failed)} failed · ${formatCount(deliveries24h.retrying)} retrying`}
        />
      </dl>

      <div className="mt-6">
        <MetricCharts scope={{ kind: "environment" }} charts={["runs", "records", "requests", "deliveries"]} />
      </div>

      {overview.connections === 0 ? (
        <div className="mt-6">
          <EmptyState
            title="No connections yet"
            action={
              <Link href="/platforms" className={buttonClasses("primary")}>
                Set up platforms
              </Link>
            }
          >
            Enable the platforms your customers use, then create a link session with an API key and open Link in your app: each account a customer connects
            appears here with its sync progress.
          </EmptyState>
        </div>
      ) : (
        <div className="mt-6 grid gap-6 lg:grid-cols-2">
          <Card title="Connections by health">
            <Breakdown
              label="Connections by health"
              total={overview.connections}
              rows={[
                ["Healthy", overview.byHealth.HEALTHY, "bg-emerald-500", "/connections?health=HEALTHY"],
                ["Unhealthy", overview.byHealth.UNHEALTHY, "bg-amber-400", "/connections?health=UNHEALTHY"],
                ["Needs update", overview.byHealth.NEEDS_UPDATE, "bg-red-500", "/connections?health=NEEDS_UPDATE"],
                ["Disabled", overview.byHealth.DISABLED, "bg-slate-400", "/connections?health=DISABLED"],
              ]}
            />
          </Card>
          <Card title="Connections by stage">
            <Breakdown
              label="Connections by stage"
              total={overview.connections}
              rows={[
                ["Initial sync", overview.byStage.INITIAL_SYNC, "bg-sky-300", "/connections?stage=INITIAL_SYNC"],
                ["Historical sync", overview.byStage.HISTORICAL_SYNC, "bg-brand-500", "/connections?stage=HISTORICAL_SYNC"],
                ["Ongoing", overview.byStage.ONGOING, "bg-brand-700", "/connections?stage=ONGOING"],
              ]}
            />
          </Card>
        </div>
      )}

      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <Card title="Syncs" description="Runs that ended in each window, the current hour included; durations ≈ within ±25%.">
          <table className="w-full text-sm">
            <caption className="sr-only">Sync runs over the last 24 hours and 7 days</caption>
            <thead>
              <tr className="text-left text-xs uppercase tracking-wide text-slate-500">
                <th scope="col" className="pb-2 font-medium">
                  <span className="sr-only">Figure</span>
                </th>
                <th scope="col" className="pb-2 text-right font-medium">
                  24 h
                </th>
                <th scope="col" className="pb-2 text-right font-medium">
                  7 d
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              <RunRow label="Runs" get={(w) => formatCount(w.total)} windows={[runs24h, runs7d]} />
              <RunRow label="Success rate" get={(w) => percent(w.successRate, 1)} windows={[runs24h, runs7d]} />
              <RunRow label="Failed" get={(w) => formatCount(w.failed)} windows={[runs24h, runs7d]} />
              <RunRow label="Duration p50" get={(w) => approximately(w.p50Ms)} windows={[runs24h, runs7d]} />
              <RunRow label="Duration p95" get={(w) => approximately(w.p95Ms)} windows={[runs24h, runs7d]} />
            </tbody>
          </table>
        </Card>
        <Card title="Running now" description="Refreshed every few seconds.">
          <RunningSyncs
            initial={{
              total: overview.running.total,
              shown: overview.running.shown.map((run) => ({
                ...run,
                startedAt: run.startedAt?.toISOString() ?? null,
                resumeAt: run.resumeAt?.toISOString() ?? null,
              })),
            }}
          />
        </Card>
      </div>

      <div className="mt-6">
        <Card
          title="Latest incidents"
          description="Connections disabled or needing an update, webhook endpoints failing or disabled."
          actions={
            <Link href="/webhooks" className="text-sm font-medium text-brand-700 hover:underline">
              {overview.endpoints.total} {overview.endpoints.total === 1 ? "endpoint" : "endpoints"}
            </Link>
          }
        >
          {overview.incidents.length === 0 ? (
            <p className="text-sm text-slate-500">
              Nothing needs attention: no connection is disabled or needs an update, and every webhook endpoint is delivering.
            </p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {overview.incidents.map((incident) => (
                <li key={`${incident.kind}-${incident.id}`} className="flex flex-wrap items-start justify-between gap-3 py-2.5 text-sm">
                  <div className="min-w-0">
                    <div className="flex items-center gap-2">
                      <Badge
                        tone={
                          incident.status === "Failing" ? "yellow" : incident.status === "Disabled" ? (incident.kind === "endpoint" ? "red" : "gray") : "red"
                        }
                      >
                        {incident.status}
                      </Badge>
                      <span className="text-xs uppercase tracking-wide text-slate-500">{incident.kind === "endpoint" ? "Webhook endpoint" : "Connection"}</span>
                    </div>
                    <Link
                      href={incident.href}
                      className={`mt-1 block truncate font-medium text-brand-700 hover:underline ${incident.kind === "endpoint" ? "font-mono text-xs" : ""}`}
                    >
                      {incident.title}
                    </Link>
                    {incident.detail && <p className="text-slate-500">{incident.detail}</p>}
                  </div>
                  <span className="shrink-0 text-xs text-slate-500">
                    <DateTime value={incident.at} now={now} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}

function RunRow({ label, get, windows }: { label: string; get: (window: RunWindow) => string; windows: [RunWindow, RunWindow] }) {
  return (
    <tr>
      <th scope="row" className="py-2 text-left font-normal text-slate-600">
        {label}
      </th>
      {windows.map((window, index) => (
        <td key={index} className="py-2 text-right font-medium tabular-nums text-slate-900">
          {get(window)}
        </td>
      ))}
    </tr>
  );
}
