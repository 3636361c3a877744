import { isId } from "@/lib/db/ids";
import { notFound, redirect } from "next/navigation";
import { hasRole, requireContext } from "@/lib/auth/context";
import { eventTypeGroups, getEndpoint } from "@/lib/presenters/webhooks";
import { PageHeader } from "@/components/ui/page-header";
import { EndpointForm } from "@/components/webhooks/endpoint-form";

export const metadata = { title: "Edit webhook endpoint" };

export default async function EditEndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const context = await requireContext();
  const { id } = await params;
  // A malformed id names nothing: never sent to the database (a NUL byte would fail the query).
  if (!isId("whk", id)) notFound();
  const endpoint = await getEndpoint(context.db, id);
  if (!endpoint) notFound();
  if (!hasRole(context, "admin")) redirect(`/webhooks/${id}`);
  return (
    <div className="max-w-4xl">
      <PageHeader title="Edit webhook endpoint" description={<span className="break-all font-mono text-xs">{endpoint.url}</span>} />
      <EndpointForm
        endpointId={endpoint.id}
        groups={eventTypeGroups()}
        initial={{
          url: endpoint.url,
          description: endpoint.description ?? "",
          eventTypes: endpoint.eventTypes,
          retrySchedule: endpoint.retrySchedule.join(", "),
          timeoutSeconds: String(Math.round(endpoint.timeoutMs / 1000)),
          orderingWaitSeconds: String(endpoint.orderingWaitSeconds),
        }}
      />
    </div>
  );
}
