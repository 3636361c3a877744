import { isId } from "@/lib/db/ids";
import Link from "next/link";
import { notFound } from "next/navigation";
import { hasRole, requireContext } from "@/lib/auth/context";
import { getPlatform } from "@/lib/platforms/catalog";
import { getConnectionStatus } from "@/lib/presenters/connections-detail";
import { eventTypesFor } from "@/lib/presenters/connections-events";
import { getEngine } from "@/lib/sync/engine";
import { PageHeader } from "@/components/ui/page-header";
import { DateTime } from "@/components/ui/date-time";
import { PlatformLogo } from "@/components/platform-logo";
import { ConnectionView } from "@/components/connections/connection-view";
import { SyncTimeline } from "@/components/timeline/sync-timeline";
import { MetricCharts } from "@/components/charts/metric-charts";

export const metadata = { title: "Connection" };

export default async function ConnectionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // A malformed id names nothing: never sent to the database (a NUL byte would fail the query).
  if (!isId("conn", id)) notFound();
  const context = await requireContext();
  const status = await getConnectionStatus(context.db, id, getEngine().appUrl);
  if (!status) notFound();
  const { connection } = status;
  const title = connection.accountName ?? connection.platformAccountId ?? connection.id;

  return (
    <>
      <Link href="/connections" className="mb-3 inline-block text-sm font-medium text-brand-700 hover:underline">
        ← All connections
      </Link>
      <div className="flex items-start gap-4">
        <div className="mt-0.5">
          <PlatformLogo platform={connection.platform} size={44} />
        </div>
        <div className="min-w-0 flex-1">
          <PageHeader
            title={title}
            description={
              <>
                {connection.platformName} · <code className="font-mono text-xs">{connection.platformAccountId ?? "no account id"}</code> · connection{" "}
                <code className="font-mono text-xs">{connection.id}</code>
              </>
            }
          />
        </div>
      </div>
      {connection.deletedAt && (
        <p role="status" className="mb-6 rounded-md border border-red-200 bg-red-50 px-4 py-2.5 text-sm text-red-800">
          This connection was deleted on <DateTime value={new Date(connection.deletedAt)} />: it no longer syncs and its data is no longer served.
        </p>
      )}
      <ConnectionView
        initial={status}
        canManage={hasRole(context, "admin")}
        confirmationName={title}
        eventTypes={eventTypesFor(connection.platform)}
        unwindowed={getPlatform(connection.platform)
          ?.objects.filter((object) => !object.supportsWindow)
          .map((object) => object.key)}
        // Full width: batches and runs per object over time, its own titled section fetching its own data.
        timeline={
          <>
            <SyncTimeline connectionId={connection.id} />
            <MetricCharts scope={{ kind: "connection", id: connection.id }} charts={["runs", "records", "requests"]} />
          </>
        }
      />
    </>
  );
}
