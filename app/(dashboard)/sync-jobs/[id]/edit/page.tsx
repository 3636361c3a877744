import { isId } from "@/lib/db/ids";
import Link from "next/link";
import { notFound } from "next/navigation";
import { hasRole, requireContext } from "@/lib/auth/context";
import { jobDefinitionOf } from "@/lib/jobs/store";
import { jobReferences } from "@/lib/presenters/sync-jobs";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { buttonClasses } from "@/components/ui/button";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { SYNC_JOBS } from "@/components/sync-jobs/crumbs";
import { JobEditor } from "@/components/sync-jobs/job-editor";

export const metadata = { title: "Edit sync job" };

export default async function EditSyncJobPage({ params }: { params: Promise<{ id: string }> }) {
  const context = await requireContext();
  const { id } = await params;
  // A malformed id names nothing: never sent to the database (a NUL byte would fail the query).
  if (!isId("job", id)) notFound();
  const job = await context.db.syncJob.findFirst({ where: { id } });
  if (!job) notFound();
  return (
    <>
      <Breadcrumb trail={[SYNC_JOBS, { href: `/sync-jobs/${job.id}`, label: job.name }]} current="Edit" />
      <PageHeader
        title={`Edit ${job.name}`}
        description="Saving changes the runs started from now on; a run in progress keeps the definition it started with."
      />
      {hasRole(context, "admin") ? (
        <JobEditor jobId={job.id} initialText={JSON.stringify(jobDefinitionOf(job), null, 2)} references={jobReferences()} />
      ) : (
        <EmptyState
          title="Only owners and admins can edit sync jobs"
          action={
            <Link href={`/sync-jobs/${job.id}`} className={buttonClasses("secondary")}>
              Back to the job
            </Link>
          }
        >
          Ask an owner or admin of {context.organization.name} to change it.
        </EmptyState>
      )}
    </>
  );
}
