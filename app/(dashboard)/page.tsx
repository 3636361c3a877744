import Link from "next/link";
import { requireContext } from "@/lib/auth/context";
import { getOverview } from "@/lib/presenters/overview";
import { PageHeader } from "@/components/ui/page-header";
import { Card, Stat } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { buttonClasses } from "@/components/ui/button";

export default async function OverviewPage() {
  const context = await requireContext();
  const overview = await getOverview(context.db);
  // Of the runs that finished: one still running is neither a success nor a failure yet.
  const finished = overview.runs24h.succeeded + overview.runs24h.failed;
  const successRate = finished ? `${Math.round((overview.runs24h.succeeded / finished) * 100)}%` : "—";
  const failureRate = overview.deliveries24h.total ? `${((overview.deliveries24h.failed / overview.deliveries24h.total) * 100).toFixed(1)}%` : "—";
  return (
    <>
      <PageHeader title="Overview" description={`How ${context.organization.name}'s ${context.environment} connections, syncs and webhooks are doing.`} />
      <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <Stat label="Connections" value={overview.connections} hint={`${overview.byHealth.HEALTHY} healthy · ${overview.byStage.ONGOING} ongoing`} />
        <Stat label="Sync success (24 h)" value={successRate} hint={`${finished} finished · ${overview.runs24h.failed} failed · ${overview.runs24h.running} running`} />
        <Stat label="Deliveries (24 h)" value={overview.deliveries24h.total} hint={`${failureRate} failed`} />
        <Stat label="Webhook endpoints" value={overview.endpoints} />
      </dl>
      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <Card title="Connections by health">
          <Breakdown rows={[["Healthy", overview.byHealth.HEALTHY], ["Unhealthy", overview.byHealth.UNHEALTHY], ["Needs update", overview.byHealth.NEEDS_UPDATE], ["Disabled", overview.byHealth.DISABLED]]} total={overview.connections} />
        </Card>
        <Card title="Connections by stage">
          <Breakdown rows={[["Initial sync", overview.byStage.INITIAL_SYNC], ["Historical sync", overview.byStage.HISTORICAL_SYNC], ["Ongoing", overview.byStage.ONGOING]]} total={overview.connections} />
        </Card>
      </div>
      <div className="mt-6">
        {overview.connections === 0 ? (
          <EmptyState
            title="No connections yet"
            action={
              <Link href="/platforms" className={buttonClasses("primary")}>
                Set up platforms
              </Link>
            }
          >
            Enable the platforms your customers use, then create a link session with an API key and open Link in your app: each account a
            customer connects appears here with its sync progress.
          </EmptyState>
        ) : (
          <Card title="Latest incidents" description="Connections that need attention">
            {overview.incidents.length === 0 ? (
              <p className="text-sm text-slate-500">Nothing needs attention: every connection is healthy.</p>
            ) : (
              <ul className="divide-y divide-slate-100">
                {overview.incidents.map((incident) => (
                  <li key={incident.id} className="py-2 text-sm">
                    <Link href={incident.href} className="font-medium text-brand-700 hover:underline">
                      {incident.label}
                    </Link>
                    {incident.detail && <p className="text-slate-500">{incident.detail}</p>}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        )}
      </div>
    </>
  );
}

function Breakdown({ rows, total }: { rows: [string, number][]; total: number }) {
  return (
    <ul className="space-y-2.5">
      {rows.map(([label, count]) => (
        <li key={label} className="text-sm">
          <div className="flex justify-between text-slate-600">
            <span>{label}</span>
            <span className="tabular-nums font-medium text-slate-900">{count}</span>
          </div>
          <div className="mt-1 h-1.5 rounded-full bg-slate-100">
            <div className="h-1.5 rounded-full bg-brand-500" style={{ width: total ? `${(count / total) * 100}%` : "0%" }} />
          </div>
        </li>
      ))}
    </ul>
  );
}
