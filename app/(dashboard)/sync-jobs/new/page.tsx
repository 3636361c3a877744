import Link from "next/link";
import { hasRole, requireContext } from "@/lib/auth/context";
import { jobReferences } from "@/lib/presenters/sync-jobs";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { buttonClasses } from "@/components/ui/button";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { SYNC_JOBS } from "@/components/sync-jobs/crumbs";
import { JobEditor } from "@/components/sync-jobs/job-editor";

export const metadata = { title: "New sync job" };

export default async function NewSyncJobPage() {
  const context = await requireContext();
  return (
    <>
      <Breadcrumb trail={[SYNC_JOBS]} current="New" />
      <PageHeader
        title="New sync job"
        description={`Start from a template and edit the JSON. It is checked when you save: unknown resources or parameters, placeholders that name nothing and dependency cycles are named by field. It will run on ${context.environment} connections.`}
      />
      {hasRole(context, "admin") ? (
        <JobEditor references={jobReferences()} />
      ) : (
        <EmptyState
          title="Only owners and admins can create sync jobs"
          action={
            <Link href="/sync-jobs" className={buttonClasses("secondary")}>
              Back to sync jobs
            </Link>
          }
        >
          Ask an owner or admin of {context.organization.name} to create it.
        </EmptyState>
      )}
    </>
  );
}
