import { requireContext } from "@/lib/auth/context";
import { getSyncConfiguration, type SyncConfigurationView } from "@/lib/presenters/sync-configuration";
import { platformName } from "@/lib/platforms/catalog";
import { formatMinutes, plural } from "@/lib/format";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Cell } from "@/components/ui/table";
import { DateTime } from "@/components/ui/date-time";
import { DescriptionList } from "@/components/ui/description-list";

export const metadata = { title: "Sync configuration" };

/** The incremental frequency when no level sets one (DESIGN.md section 1). */
const DEFAULT_FREQUENCY_MINUTES = 60;

export default async function SyncConfigurationPage() {
  const context = await requireContext();
  const overview = await getSyncConfiguration(context.db);
  const organization = overview.organization;

  return (
    <>
      <PageHeader
        title="Sync configuration"
        description={`What connections in ${context.environment} import, in which initial batches, how far back in history and how often they sync afterwards.`}
      />
      <Precedence platformOverrides={overview.platforms.length} connectionOverrides={overview.connectionOverrides} />

      <h2 className="mb-3 mt-8 text-sm font-semibold text-slate-900">Organization</h2>
      {organization ? (
        <ConfigurationCard configuration={organization} level="organization" />
      ) : (
        <EmptyState title="No organization-level configuration">
          This environment has no organization-level sync configuration, so connections use Tributary&apos;s defaults: every object of their platform, fetched
          in one initial batch, then incremental syncs {every(DEFAULT_FREQUENCY_MINUTES).toLowerCase()}. Setting one here lets you choose the objects, split the
          initial sync into batches and limit how far back history goes.
        </EmptyState>
      )}

      <h2 className="mb-3 mt-8 text-sm font-semibold text-slate-900">Platform overrides</h2>
      {overview.platforms.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-5 py-4 text-sm text-slate-600">
          No platform overrides: every platform follows the organization&apos;s configuration. Add one when a platform needs different objects, batches or a
          different frequency, for example fewer months of Zendesk tickets than of QuickBooks invoices.
        </p>
      ) : (
        <div className="space-y-6">
          {overview.platforms.map((configuration) => (
            <ConfigurationCard key={configuration.id} configuration={configuration} level="platform" />
          ))}
        </div>
      )}
    </>
  );
}

function Precedence({ platformOverrides, connectionOverrides }: { platformOverrides: number; connectionOverrides: number }) {
  const levels = [
    ["Connection", connectionOverrides ? `${plural(connectionOverrides, "connection")} with own settings` : "none set"],
    ["Platform", platformOverrides ? `${plural(platformOverrides, "override")}` : "none set"],
    ["Organization", "the base for everything"],
  ] as const;
  return (
    <Card
      title="How settings combine"
      description="The most specific level wins: a connection's own settings, then its platform's, then the organization's. A field a level leaves empty is inherited from the next one."
    >
      <ol className="flex flex-wrap items-center gap-2 text-sm" aria-label="Precedence, highest first">
        {levels.map(([label, hint], index) => (
          <li key={label} className="flex items-center gap-2">
            <span className="rounded-md border border-slate-200 bg-slate-50 px-3 py-1.5">
              <span className="font-medium text-slate-900">{label}</span>
              <span className="ml-2 text-xs text-slate-500">{hint}</span>
            </span>
            {index < levels.length - 1 && (
              <span aria-hidden="true" className="font-semibold text-slate-400">
                &gt;
              </span>
            )}
          </li>
        ))}
      </ol>
    </Card>
  );
}

function ConfigurationCard({ configuration, level }: { configuration: SyncConfigurationView; level: "organization" | "platform" }) {
  const inherited = <span className="text-slate-500">Inherited from the organization</span>;
  const objects =
    configuration.objects.length > 0 ? (
      <span className="font-mono text-xs">{configuration.objects.join(", ")}</span>
    ) : level === "organization" ? (
      "Every object each platform offers"
    ) : (
      inherited
    );
  const history =
    configuration.historyMonths !== null
      ? `Last ${plural(configuration.historyMonths, "month")}`
      : level === "organization"
        ? "All history the platform provides"
        : inherited;
  const frequency =
    configuration.incrementalFrequencyMinutes !== null
      ? every(configuration.incrementalFrequencyMinutes)
      : level === "organization"
        ? `${every(DEFAULT_FREQUENCY_MINUTES)} (default)`
        : inherited;
  const title = level === "organization" ? "Organization defaults" : platformName(configuration.platform ?? "");

  return (
    <Card
      title={title}
      description={
        <>
          Last changed <DateTime value={configuration.updatedAt} />
        </>
      }
    >
      <DescriptionList
        items={[
          ["Objects", objects],
          ["History range", history],
          ["Incremental frequency", frequency],
        ]}
      />
      <h3 className="mb-2 mt-6 text-xs font-medium uppercase tracking-wide text-slate-500">Initial-sync batches</h3>
      {configuration.batches.length === 0 ? (
        <p className="rounded-md bg-slate-50 px-4 py-3 text-sm text-slate-600">
          {level === "platform" ? (
            "No batches of its own: this platform uses the organization's batches."
          ) : (
            <>
              No batches: each new connection fetches its whole history (
              {configuration.historyMonths !== null ? `the last ${plural(configuration.historyMonths, "month")}` : "everything the platform provides"}) as one
              initial batch and becomes ready when that batch completes. Batches split the initial sync so connections become ready sooner: for example batch 1
              fetches the last 2 months of orders and marks the connection ready (<code className="font-mono text-xs">INITIAL_UPDATE</code>), then later batches
              fetch older history in the background, each ending with <code className="font-mono text-xs">HISTORICAL_UPDATE</code>.
            </>
          )}
        </p>
      ) : (
        <Table head={["Batch", "Objects", "Window"]}>
          {configuration.batches.map((batch) => (
            <tr key={batch.position}>
              <Cell className="tabular-nums">{batch.position}</Cell>
              <Cell>
                {batch.objects.length ? (
                  <div className="max-w-md whitespace-normal font-mono text-xs">{batch.objects.join(", ")}</div>
                ) : (
                  "All configured objects"
                )}
              </Cell>
              <Cell>{batch.window}</Cell>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}

/** "Every hour", "Every 15 minutes", "Every 2 days". */
function every(minutes: number): string {
  const amount = formatMinutes(minutes);
  return amount.startsWith("1 ") ? `Every ${amount.slice(2)}` : `Every ${amount}`;
}
