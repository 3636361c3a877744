import Link from "next/link";
import { hasRole, requireContext } from "@/lib/auth/context";
import { eventTypeGroups } from "@/lib/presenters/webhooks";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { buttonClasses } from "@/components/ui/button";
import { EndpointForm } from "@/components/webhooks/endpoint-form";

export const metadata = { title: "Add a webhook endpoint" };

export default async function NewEndpointPage() {
  const context = await requireContext();
  return (
    <div className="max-w-4xl">
      <PageHeader title="Add a webhook endpoint" description={`It will receive ${context.environment} events only.`} />
      {hasRole(context, "admin") ? (
        <EndpointForm groups={eventTypeGroups()} />
      ) : (
        <EmptyState
          title="Only owners and admins can add endpoints"
          action={
            <Link href="/webhooks" className={buttonClasses("secondary")}>
              Back to webhooks
            </Link>
          }
        >
          Ask an owner or admin of {context.organization.name} to add it.
        </EmptyState>
      )}
    </div>
  );
}
