import { isId } from "@/lib/db/ids";
import { notFound } from "next/navigation";
import { hasRole, requireContext } from "@/lib/auth/context";
import { getJobRun } from "@/lib/presenters/sync-jobs";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { SYNC_JOBS } from "@/components/sync-jobs/crumbs";
import { RunView } from "@/components/sync-jobs/run-view";

export const metadata = { title: "Sync job run" };

export default async function SyncJobRunPage({ params }: { params: Promise<{ runId: string }> }) {
  const context = await requireContext();
  const { runId } = await params;
  // A malformed id names nothing: never sent to the database (a NUL byte would fail the query).
  if (!isId("jrun", runId)) notFound();
  const run = await getJobRun(context.db, { organizationId: context.organization.id, environment: context.environment }, runId);
  if (!run) notFound();
  return (
    <>
      <Breadcrumb trail={[SYNC_JOBS, { href: `/sync-jobs/${run.job.id}`, label: run.job.name }]} current={run.id} />
      <RunView initial={run} canManage={hasRole(context, "admin")} />
    </>
  );
}
