import Link from "next/link";
import { hasRole, requireContext } from "@/lib/auth/context";
import { endpointBacklogs } from "@/lib/presenters/webhook-delivery";
import { listEndpoints } from "@/lib/presenters/webhooks";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Cell } from "@/components/ui/table";
import { DateTime } from "@/components/ui/date-time";
import { buttonClasses } from "@/components/ui/button";
import { EndpointStatus, EventTypes, FailureRate } from "@/components/webhooks/endpoint-summary";

export const metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const context = await requireContext();
  const now = new Date();
  const endpoints = await listEndpoints(context.db, now);
  const backlogs = await endpointBacklogs(
    context.db,
    endpoints.map((endpoint) => endpoint.id),
  );
  const canManage = hasRole(context, "admin");
  const create = canManage ? (
    <Link href="/webhooks/new" className={buttonClasses("primary")}>
      Add endpoint
    </Link>
  ) : undefined;

  return (
    <>
      <PageHeader
        title="Webhooks"
        description={`The endpoints that receive ${context.environment} events (connection lifecycle, sync progress, data changes), signed following the Standard Webhooks specification.`}
        actions={endpoints.length ? create : undefined}
      />
      {endpoints.length === 0 ? (
        <EmptyState title={`No webhook endpoints in ${context.environment} yet`} action={create}>
          A webhook endpoint is a URL of your backend that receives Tributary&apos;s events as they happen: a connection becoming ready or needing an update,
          syncs completing or failing, records created, updated or deleted. Each delivery is signed (
          <code className="font-mono text-xs">webhook-signature</code>) and retried until your endpoint answers 2xx.
        </EmptyState>
      ) : (
        <Table head={["Endpoint", "Status", "Events", "Failure rate (24 h)", "Created"]}>
          {endpoints.map((endpoint) => (
            <tr key={endpoint.id} className="hover:bg-slate-50/70">
              <Cell>
                <Link
                  href={`/webhooks/${endpoint.id}`}
                  className="block max-w-md truncate font-mono text-xs font-medium text-brand-700 hover:underline"
                  title={endpoint.url}
                >
                  {endpoint.url}
                </Link>
                <div className="max-w-md truncate text-xs text-slate-500">{endpoint.description || endpoint.id}</div>
              </Cell>
              <Cell>
                <EndpointStatus endpoint={endpoint} backlog={backlogs.get(endpoint.id) ?? { retrying: 0, pending: 0, oldestRetryingAt: null }} now={now} />
              </Cell>
              <Cell className="whitespace-normal">
                <EventTypes types={endpoint.eventTypes} limit={3} />
              </Cell>
              <Cell>
                <FailureRate stats={endpoint.recent} />
              </Cell>
              <Cell>
                <DateTime value={endpoint.createdAt} now={now} />
              </Cell>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
